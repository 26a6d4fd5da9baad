//! Many processes on one journal: resumes and batch workers that run at once, one of them
//! killed with SIGKILL, a PostgreSQL server restarted under them or gone for good. Each
//! line or task is created once, downloaded by one process, whole, and nothing is left
//! behind.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use anyfast_mock::{Fault, FaultKind, MockConfig, MockServer, Route, SAMPLE_VIDEO, Timing};
use anyfast_video::{Client, VideoRequest};
use anyfast_video_tasks::{
    Outputs, TaskOptions, TaskQuery, TaskRecord, TaskState, TaskStore, Tasks,
};

/// A worker of the program, its output going to files in `dir`.
struct Worker {
    child: Child,
    log: PathBuf,
}

impl Worker {
    fn start(mock: &MockServer, journal: &str, dir: &Path, name: &str, args: &[&str]) -> Worker {
        Worker::start_with(mock, journal, dir, name, args, &[])
    }

    /// [`Worker::start`] with these environment variables too.
    fn start_with(
        mock: &MockServer,
        journal: &str,
        dir: &Path,
        name: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> Worker {
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(assert_cmd::cargo::cargo_bin("anyfast-video"))
            .env_remove("ANYFAST_BASE_URL")
            .env_remove("ANYFAST_VIDEO_JOURNAL")
            .envs(envs.iter().copied())
            .env("ANYFAST_API_KEY", KEY)
            .args(["--base-url", &mock.base_url(), "--journal", journal])
            .args(args)
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        Worker { child, log }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    async fn finish(mut self) -> (ExitStatus, String) {
        let status = tokio::task::spawn_blocking(move || self.child.wait().unwrap())
            .await
            .unwrap();
        (
            status,
            std::fs::read_to_string(&self.log).unwrap_or_default(),
        )
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn kill_9(mut self) {
        self.child.kill().unwrap();
        tokio::task::spawn_blocking(move || self.child.wait().unwrap())
            .await
            .unwrap();
    }
}

fn part_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "part") {
                found.push(path);
            }
        }
    }
    found
}

/// A batch file of `count` text lines, each with its own prompt and output name.
fn batch_file(dir: &Path, count: usize, prompt: &str) -> PathBuf {
    let path = dir.join("batch.jsonl");
    let lines: Vec<String> = (1..=count)
        .map(|n| {
            serde_json::json!({
                "model": "seedance-fast",
                "content": [{"type": "text", "text": format!("{prompt} {n}")}],
                "duration": 5,
                "output": format!("clip-{n}.mp4"),
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// Waits until `done` holds, or fails after `seconds`.
async fn until_async<F: std::future::Future<Output = bool>>(
    what: &str,
    seconds: u64,
    mut done: impl FnMut() -> F,
) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// The records `pid` holds now.
async fn held_by(store: &TaskStore, pid: u32) -> Vec<TaskRecord> {
    store
        .list(&TaskQuery::all())
        .await
        .unwrap()
        .into_iter()
        .filter(|record| {
            record
                .current_holder()
                .is_some_and(|holder| holder.pid == pid)
        })
        .collect()
}

/// Kills `victim` with SIGKILL while it holds lines that are waiting, and none whose create
/// is on its way: stopped first (SIGSTOP), looked at, and let go again if a create is in
/// flight. (A kill during a create leaves that line's outcome unknown, rightly, and it is
/// then never sent again unasked: another test's.)
async fn kill_mid_way(victim: Worker, store: &TaskStore) {
    let pid = victim.pid();
    until_async("the victim to hold lines that are waiting", 30, || async {
        held_by(store, pid)
            .await
            .iter()
            .any(|record| record.state == TaskState::Waiting)
    })
    .await;
    for _ in 0..200 {
        victim.signal("-STOP");
        let held = held_by(store, pid).await;
        if held.iter().all(|record| record.task_id.is_some()) {
            victim.kill_9().await;
            return;
        }
        victim.signal("-CONT");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    panic!("the victim always had a create in flight");
}

/// Three workers of one batch on `journal`; the first is killed mid-way; the others finish
/// every line, each created once.
async fn three_workers_one_killed(journal: &str) {
    three_workers_one_killed_seen_from(journal, journal).await;
}

/// [`three_workers_one_killed`], the test looking at the journal through `observed` (the same
/// database): behind a pool of one server connection, the victim stopped (SIGSTOP) in the
/// middle of a transaction holds that connection, and the test must still see the records to
/// let it go again.
async fn three_workers_one_killed_seen_from(journal: &str, observed: &str) {
    let lines = 24;
    let mock =
        MockServer::start(MockConfig::default().timing(Timing::Lasting(Duration::from_secs(2))))
            .await
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(dir.path(), lines, "shared");
    let out = dir.path().join("out");
    let args = [
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--concurrency",
        "4",
        "--poll-interval",
        "0.05",
    ];
    let workers: Vec<Worker> = (0..3)
        .map(|n| Worker::start(&mock, journal, dir.path(), &format!("worker-{n}"), &args))
        .collect();
    let store = TaskStore::open(observed).await.unwrap();
    let mut workers = workers.into_iter();
    let victim = workers.next().unwrap();
    kill_mid_way(victim, &store).await;
    for worker in workers {
        let (status, log) = worker.finish().await;
        assert!(status.success(), "a survivor failed: {status}\n{log}");
    }
    for n in 1..=lines {
        assert_eq!(
            mock.create_count_for_prompt(&format!("shared {n}")),
            1,
            "line {n}"
        );
        let video = out.join(format!("clip-{n}.mp4"));
        assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO, "line {n}");
    }
    assert_eq!(mock.count(Route::Create), lines);
    assert_eq!(part_files(dir.path()), Vec::<PathBuf>::new());
    let records = store.list(&TaskQuery::all()).await.unwrap();
    assert_eq!(records.len(), lines);
    assert!(records.iter().all(|record| record.state == TaskState::Done
        && record.output_bytes == Some(SAMPLE_VIDEO.len() as u64)
        && record.current_holder().is_none()));
}

#[tokio::test(flavor = "multi_thread")]
async fn three_batch_workers_on_one_sqlite_journal_make_each_line_once_though_one_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    three_workers_one_killed(journal.to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_batch_workers_on_one_postgresql_journal_make_each_line_once_though_one_is_killed() {
    let Some(cluster) = throwaway_postgres::required("the PostgreSQL batch tests") else {
        return;
    };
    let url = cluster.create_database("three_workers").unwrap();
    three_workers_one_killed(&url).await;
}

/// The same through PgBouncer in transaction pooling mode (as managed PostgreSQL services run
/// it), with one server connection for the three workers: each of their transactions runs on
/// whichever connection is free, so nothing of a worker's may outlive a transaction (a named
/// prepared statement would be missing, or already there). The test looks at the journal
/// directly.
#[tokio::test(flavor = "multi_thread")]
async fn three_batch_workers_through_pgbouncer_in_transaction_mode_make_each_line_once_though_one_is_killed()
 {
    let mode = throwaway_postgres::PoolMode::Transaction;
    let Some(bouncer) = throwaway_postgres::required_bouncer(mode, "the PgBouncer batch tests")
    else {
        return;
    };
    let cluster = throwaway_postgres::shared().unwrap();
    let url = cluster.create_database("through_pgbouncer").unwrap();
    three_workers_one_killed_seen_from(&bouncer.in_front_of(&url), &url).await;
}

/// A TCP proxy the test controls, between one worker and PostgreSQL: it moves bytes both ways
/// until it is cut, then moves none (it reads nothing, writes nothing, and closes or resets
/// nothing: a network partition, not a crash) until it is healed.
struct BlackHole {
    port: u16,
    cut: tokio::sync::watch::Sender<bool>,
}

impl BlackHole {
    async fn start(upstream: u16) -> BlackHole {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (cut, watching) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let watching = watching.clone();
                tokio::spawn(async move {
                    let Ok(server) = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await
                    else {
                        return;
                    };
                    let (from_client, to_client) = client.into_split();
                    let (from_server, to_server) = server.into_split();
                    tokio::join!(
                        pump(from_client, to_server, watching.clone()),
                        pump(from_server, to_client, watching)
                    );
                });
            }
        });
        BlackHole { port, cut }
    }

    /// `url` (of the cluster) through the proxy.
    fn in_front_of(&self, url: &str) -> String {
        let database = url.rsplit('/').next().unwrap();
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    fn cut(&self) {
        self.cut.send_replace(true);
    }

    fn heal(&self) {
        self.cut.send_replace(false);
    }
}

/// Moves bytes from one side to the other while not cut; what was read when the cut came is
/// held until the heal.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut cut: tokio::sync::watch::Receiver<bool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buffer = vec![0; 64 * 1024];
    loop {
        if cut.wait_for(|cut| !cut).await.is_err() {
            return;
        }
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return;
            }
            Ok(read) => read,
        };
        if cut.wait_for(|cut| !cut).await.is_err() {
            return;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

/// When a worker is cut off from the journal in the partition tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CutDuring {
    /// While creates it sent await their answers (answered during the cut).
    Creates,
    /// While it downloads videos.
    Downloads,
}

/// Three batch workers on one PostgreSQL journal, `--lease-ttl 2`; the first reaches it
/// through a black hole, cut while its creates await their answers or while it downloads,
/// for at least five lease periods and until the others have taken its lines over, then healed.
/// Every line is created once and saved once, every worker exits 0, and no line ends unknown:
/// the ids the cut-off worker learnt are recorded once it can, and the others finish those
/// lines from them.
async fn three_workers_one_cut_off(during: CutDuring) {
    let Some(cluster) = throwaway_postgres::required("the PostgreSQL partition tests") else {
        return;
    };
    let url = cluster.create_database("partition").unwrap();
    let hole = BlackHole::start(cluster.port()).await;
    let lines = 9;
    let prompt = format!("partition {during:?}");
    let config = MockConfig::default().timing(Timing::Lasting(Duration::from_secs(1)));
    let config = match during {
        // The task is made at once, its create answered 3 s later.
        CutDuring::Creates => config.fault(Fault::new(
            Some(Route::Create),
            FaultKind::SlowAnswer(Duration::from_secs(3)),
        )),
        CutDuring::Downloads => config.fault(Fault::new(
            Some(Route::Download),
            FaultKind::Latency(Duration::from_secs(4)),
        )),
    };
    let mock = MockServer::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(dir.path(), lines, &prompt);
    let out = dir.path().join("out");
    let args = [
        "--json",
        "--lease-ttl",
        "2",
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--concurrency",
        "3",
        "--poll-interval",
        "0.05",
    ];
    let through_hole = hole.in_front_of(&url);
    // Its warnings say when it could not renew its leases, or record an id.
    let victim = Worker::start_with(
        &mock,
        &through_hole,
        dir.path(),
        "cut-off",
        &args,
        &[("RUST_LOG", "anyfast_video=warn")],
    );
    let others: Vec<Worker> = (1..3)
        .map(|n| Worker::start(&mock, &url, dir.path(), &format!("worker-{n}"), &args))
        .collect();
    let store = TaskStore::open(&url).await.unwrap();
    let pid = victim.pid();
    // The lines the victim holds in the state the cut is to catch.
    // Cut once all three of its lines (its --concurrency) are in that state, so that none of
    // its claims is on its way (a claim committed whose answer the cut swallows leaves a line
    // that no process but this one knows to be unsent: unknown to the others, rightly).
    let caught = |records: Vec<TaskRecord>| -> Vec<String> {
        let in_state = |record: &TaskRecord| match during {
            CutDuring::Creates => {
                record.state == TaskState::Sending
                    && mock.create_count_for_idempotency_key(&record.key) == 1
            }
            CutDuring::Downloads => record.status.as_deref() == Some("succeeded"),
        };
        if records.len() == 3 && records.iter().all(in_state) {
            records.into_iter().map(|record| record.key).collect()
        } else {
            Vec::new()
        }
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let cut_lines = loop {
        let found = caught(held_by(&store, pid).await);
        if !found.is_empty() {
            break found;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the victim to hold lines in the state to cut"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    hole.cut();
    let cut_at = Instant::now();
    // The others take its lines over once their leases expire; it learns that it lost them
    // (its renewals get no answer), and, cut during its creates, the ids of its tasks.
    until_async("the others to take the victim's lines over", 60, || async {
        let records = store.list(&TaskQuery::all()).await.unwrap();
        cut_lines.iter().all(|key| {
            records.iter().any(|record| {
                &record.key == key
                    && record
                        .holder
                        .as_ref()
                        .is_some_and(|holder| holder.pid != pid)
            })
        })
    })
    .await;
    let told = match during {
        CutDuring::Creates => "the task's id could not be recorded yet",
        CutDuring::Downloads => "a task's lease could not be renewed",
    };
    until_async("the victim to see the fault", 60, || {
        let log = victim.log();
        async move { log.contains(told) }
    })
    .await;
    // At least five lease periods: long past every lease and renewal deadline.
    let rest = Duration::from_secs(10).saturating_sub(cut_at.elapsed());
    tokio::time::sleep(rest).await;
    hole.heal();

    let mut saved_by = vec![0; lines];
    let mut ended = Vec::new();
    for worker in std::iter::once(victim).chain(others) {
        ended.push(worker.finish().await);
    }
    // Every worker's log in a failure's message: the others' say what led to it.
    let logs: Vec<&String> = ended.iter().map(|(_, log)| log).collect();
    for (status, log) in &ended {
        assert!(
            status.success(),
            "a worker failed: {status}\nall: {logs:#?}"
        );
        let outcomes = log
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|outcome| outcome.get("line").is_some());
        for outcome in outcomes {
            assert_eq!(outcome["result"], "done", "{outcome}\nall: {logs:#?}");
            if matches!(outcome["action"].as_str(), Some("created" | "resumed")) {
                saved_by[outcome["line"].as_u64().unwrap() as usize - 1] += 1;
            }
        }
    }
    assert_eq!(
        saved_by,
        vec![1; lines],
        "each line saved by one worker: {logs:#?}"
    );
    for n in 1..=lines {
        assert_eq!(
            mock.create_count_for_prompt(&format!("{prompt} {n}")),
            1,
            "line {n} created once"
        );
        let video = out.join(format!("clip-{n}.mp4"));
        assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO, "line {n}");
    }
    assert_eq!(mock.count(Route::Create), lines);
    assert_eq!(part_files(dir.path()), Vec::<PathBuf>::new());
    let records = store.list(&TaskQuery::all()).await.unwrap();
    assert_eq!(records.len(), lines);
    assert!(
        records.iter().all(|record| record.state == TaskState::Done
            && record.output_bytes == Some(SAMPLE_VIDEO.len() as u64)
            && record.current_holder().is_none()),
        "{records:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_cut_off_from_postgresql_while_its_creates_await_their_answers_loses_no_task() {
    three_workers_one_cut_off(CutDuring::Creates).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_cut_off_from_postgresql_while_it_downloads_stops_and_nothing_is_saved_twice() {
    three_workers_one_cut_off(CutDuring::Downloads).await;
}

/// Tasks recorded in `journal` with their outputs in `dir`, created and left to be finished.
async fn recorded_tasks(
    mock: &MockServer,
    journal: &Path,
    dir: &Path,
    count: usize,
) -> Vec<PathBuf> {
    let store = TaskStore::open(journal.to_str().unwrap()).await.unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let tasks = Tasks::new(client, store.clone());
    let mut videos = Vec::new();
    for n in 0..count {
        let path = dir.join(format!("task-{n}.mp4"));
        let request = VideoRequest::text(format!("resumed at once {n}"));
        tasks
            .create(request, Outputs::video(&path), TaskOptions::default())
            .await
            .unwrap();
        videos.push(path);
    }
    store.flush().await.unwrap();
    videos
}

#[tokio::test(flavor = "multi_thread")]
async fn two_and_three_resumes_at_once_download_each_task_once_and_whole() {
    for processes in [2, 3] {
        // Downloads that take a while: the resumes overlap.
        let mock = MockServer::start(MockConfig::default().timing(Timing::Instant).fault(
            Fault::new(
                Some(Route::Download),
                FaultKind::Latency(Duration::from_millis(1500)),
            ),
        ))
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.sqlite");
        let videos = recorded_tasks(&mock, &journal, dir.path(), 6).await;
        let resumes: Vec<Worker> = (0..processes)
            .map(|n| {
                Worker::start(
                    &mock,
                    journal.to_str().unwrap(),
                    dir.path(),
                    &format!("resume-{n}"),
                    &["resume", "--all", "--poll-interval", "0.05"],
                )
            })
            .collect();
        let mut logs = Vec::new();
        for resume in resumes {
            let (status, log) = resume.finish().await;
            assert!(
                status.success(),
                "{processes} resumes: one failed: {status}\n{log}"
            );
            logs.push(log);
        }
        assert_eq!(
            mock.count(Route::Download),
            videos.len(),
            "{processes} resumes: each video downloaded once\n{logs:#?}"
        );
        for video in &videos {
            assert_eq!(
                std::fs::read(video).unwrap(),
                SAMPLE_VIDEO,
                "{}",
                video.display()
            );
        }
        assert_eq!(part_files(dir.path()), Vec::<PathBuf>::new());
        assert!(
            logs.iter()
                .any(|log| log.contains("is being finished by pid")),
            "the later resumes say whose the tasks are: {logs:#?}"
        );
        assert!(
            logs.iter()
                .filter(|log| log.contains("finished by pid"))
                .count()
                >= 1,
            "{logs:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postgresql_server_restarted_under_three_workers_is_reconnected_to_and_each_line_made_once()
 {
    if throwaway_postgres::required("the PostgreSQL batch tests").is_none() {
        return;
    }
    let cluster = throwaway_postgres::Cluster::start(&[("fsync", "off")]).unwrap();
    let url = cluster.create_database("restart").unwrap();
    let lines = 24;
    let mock =
        MockServer::start(MockConfig::default().timing(Timing::Lasting(Duration::from_secs(1))))
            .await
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(dir.path(), lines, "restart");
    let out = dir.path().join("out");
    let args = [
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--concurrency",
        "3",
        "--poll-interval",
        "0.05",
    ];
    let workers: Vec<Worker> = (0..3)
        .map(|n| Worker::start(&mock, &url, dir.path(), &format!("worker-{n}"), &args))
        .collect();
    until("a few lines done", || mock.count(Route::Download) >= 4).await;
    cluster.stop().unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    cluster.start_again().unwrap();
    for worker in workers {
        let (status, log) = worker.finish().await;
        assert!(status.success(), "{status}\n{log}");
    }
    for n in 1..=lines {
        assert_eq!(
            mock.create_count_for_prompt(&format!("restart {n}")),
            1,
            "line {n}"
        );
        assert_eq!(
            std::fs::read(out.join(format!("clip-{n}.mp4"))).unwrap(),
            SAMPLE_VIDEO
        );
    }
    assert_eq!(part_files(dir.path()), Vec::<PathBuf>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postgresql_server_that_stays_down_stops_the_workers_creating_and_no_create_goes_unrecorded()
 {
    if throwaway_postgres::required("the PostgreSQL batch tests").is_none() {
        return;
    }
    let cluster = throwaway_postgres::Cluster::start(&[("fsync", "off")]).unwrap();
    let url = cluster.create_database("down").unwrap();
    let lines = 30;
    let mock =
        MockServer::start(MockConfig::default().timing(Timing::Lasting(Duration::from_secs(2))))
            .await
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(dir.path(), lines, "down");
    let out = dir.path().join("out");
    let args = [
        "--lease-ttl",
        "2",
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--concurrency",
        "3",
        "--poll-interval",
        "0.05",
    ];
    let workers: Vec<Worker> = (0..2)
        .map(|n| Worker::start(&mock, &url, dir.path(), &format!("worker-{n}"), &args))
        .collect();
    until("a few creates", || mock.count(Route::Create) >= 4).await;
    cluster.stop().unwrap();
    let started = Instant::now();
    for worker in workers {
        let (status, log) = worker.finish().await;
        assert!(
            !status.success(),
            "the workers cannot finish without their journal: {log}"
        );
        assert!(log.contains("unreachable"), "they say why: {log}");
    }
    // A guard against a hang, not a speed target: a worker keeps trying for the journal's
    // patience (30 s at this lease), and a line it met unanswered for a patience more.
    assert!(started.elapsed() < Duration::from_secs(240));
    let creates = mock.count(Route::Create);
    assert!(
        creates < lines,
        "creating stopped: {creates} creates for {lines} lines"
    );
    cluster.start_again().unwrap();
    let store = TaskStore::open(&url).await.unwrap();
    let records = store.list(&TaskQuery::all()).await.unwrap();
    for n in 1..=lines {
        let prompt = format!("down {n}");
        let made = mock.create_count_for_prompt(&prompt);
        assert!(made <= 1, "line {n} made {made} times");
        if made == 1 {
            assert!(
                records
                    .iter()
                    .any(|record| record.prompt.as_deref() == Some(prompt.as_str())),
                "line {n} was created without a record"
            );
        }
    }
}
