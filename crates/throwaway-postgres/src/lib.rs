//! A throwaway PostgreSQL cluster for tests and benchmarks: the machine's own server binaries
//! (Debian's `postgresql` package, or whatever `PG_BIN` names), `initdb` into a temporary
//! folder, `pg_ctl start` on a free port of 127.0.0.1, and stopped and removed afterwards.
//!
//! No mock database: the tests of the PostgreSQL task store talk to a real server. Starting one
//! takes about a second (`initdb --no-sync`), so a test process shares one ([`shared`]) and
//! gives each test a database of its own ([`Cluster::create_database`]); a test that stops and
//! starts the server ([`Cluster::stop`], [`Cluster::start_again`]) starts its own.
//!
//! `initdb` refuses to run as root: run as root (as in CI), every server command runs as the
//! `postgres` user (`runuser -u postgres`), which then owns the folder.
//!
//! A [`Bouncer`] puts Debian's PgBouncer in front of a cluster, in transaction or session
//! pooling mode with fewer server connections than clients ([`shared_bouncer`],
//! [`required_bouncer`]), run as the same user as the cluster.
//!
//! Where no server is installed, [`shared`] and [`Cluster::start`] say why ([`Unavailable`]);
//! the tests then print it and skip, except where `CI` is set, where a missing server is a
//! failure ([`required`]).
//!
//! ```no_run
//! let Some(cluster) = throwaway_postgres::required("the store's tests") else { return };
//! let url = cluster.create_database("one_test").unwrap();
//! assert!(url.starts_with("postgres://postgres@127.0.0.1:"));
//! ```
#![forbid(unsafe_code)]

use std::fmt;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Why no cluster could be started.
#[derive(Clone, Debug)]
pub struct Unavailable(pub String);

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unavailable {}

/// A running cluster in a temporary folder; stopped and removed when dropped, or (for one in a
/// `static`, never dropped) when the process that started it exits.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
    settings: Vec<(String, String)>,
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("dir", &self.dir)
            .field("port", &self.port)
            .finish()
    }
}

/// The cluster this process shares between its tests, started on first use.
pub fn shared() -> Result<&'static Cluster, Unavailable> {
    static SHARED: OnceLock<Result<Cluster, Unavailable>> = OnceLock::new();
    SHARED
        .get_or_init(|| Cluster::start(&[("fsync", "off")]))
        .as_ref()
        .map_err(Clone::clone)
}

/// The shared cluster, or `None` after printing why `what` is skipped; a failure instead where
/// the environment variable `CI` is set, so that CI never skips these tests.
pub fn required(what: &str) -> Option<&'static Cluster> {
    match shared() {
        Ok(cluster) => Some(cluster),
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("{what} need PostgreSQL, and CI must run them: {why}")
        }
        Err(why) => {
            eprintln!(
                "skipped: {what} need a PostgreSQL server ({why}); install Debian's postgresql, or set PG_BIN to its bin folder"
            );
            None
        }
    }
}

impl Cluster {
    /// Initialises a cluster in a new temporary folder and starts it on a free port of
    /// 127.0.0.1, with these server settings (`-c NAME=VALUE`) besides the defaults.
    pub fn start(settings: &[(&str, &str)]) -> Result<Cluster, Unavailable> {
        let bin = server_binaries()?;
        let as_postgres = running_as_root();
        let dir = std::env::temp_dir().join(format!(
            "throwaway-postgres-{}-{}",
            std::process::id(),
            next_number()
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|error| Unavailable(format!("cannot create {}: {error}", dir.display())))?;
        let mut cluster = Cluster {
            bin,
            dir,
            port: 0,
            as_postgres,
            settings: settings
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
        };
        if as_postgres {
            cluster.run_plain("chown", &["-R", "postgres", &cluster.dir_text()])?;
        }
        let data = cluster.data_text();
        cluster.server_command(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        cluster.watch_for_exit()?;
        // A free port may be taken by someone else before the server binds it: try another.
        let mut last = Unavailable("no attempt".into());
        for _ in 0..5 {
            cluster.port = free_port()?;
            match cluster.start_again() {
                Ok(()) => return Ok(cluster),
                Err(why) => last = why,
            }
        }
        Err(last)
    }

    /// The URL of database `database` on this cluster.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Creates a database named after `name` (made unique) and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String, Unavailable> {
        let clean: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let database = format!("{clean}_{}", next_number());
        let port = self.port.to_string();
        self.server_command(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", &database],
        )?;
        Ok(self.url(&database))
    }

    /// Stops the server at once (`-m immediate`: like a crash, no checkpoint), keeping its data.
    pub fn stop(&self) -> Result<(), Unavailable> {
        self.server_command(
            "pg_ctl",
            &["-D", &self.data_text(), "-m", "immediate", "-w", "stop"],
        )
    }

    /// Starts the server again on the same port, with the same data, and waits until it takes
    /// connections.
    pub fn start_again(&self) -> Result<(), Unavailable> {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir_text()
        );
        for (name, value) in &self.settings {
            options.push_str(&format!(" -c {name}={value}"));
        }
        let log = self.dir.join("server.log").to_string_lossy().into_owned();
        self.server_command(
            "pg_ctl",
            &[
                "-D",
                &self.data_text(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "-t",
                "30",
                "start",
            ],
        )
    }

    fn data_text(&self) -> String {
        self.dir.join("data").to_string_lossy().into_owned()
    }

    fn dir_text(&self) -> String {
        self.dir.to_string_lossy().into_owned()
    }

    /// Runs one of the server's programs, as the `postgres` user when this process is root.
    fn server_command(&self, program: &str, args: &[&str]) -> Result<(), Unavailable> {
        let path = self.bin.join(program).to_string_lossy().into_owned();
        if self.as_postgres {
            let mut all = vec!["-u", "postgres", "--", path.as_str()];
            all.extend_from_slice(args);
            self.run_plain("runuser", &all)
        } else {
            self.run_plain(&path, args)
        }
    }

    fn run_plain(&self, program: &str, args: &[&str]) -> Result<(), Unavailable> {
        let output = Command::new(program)
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|error| Unavailable(format!("cannot run {program}: {error}")))?;
        if output.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        Err(Unavailable(format!(
            "{program} {} failed ({}): {}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim(),
            tail(&log)
        )))
    }

    /// A watchdog that stops the server and removes the folder once this process has exited,
    /// however it exits: a cluster in a `static` is never dropped.
    fn watch_for_exit(&self) -> Result<(), Unavailable> {
        let pg_ctl = self.bin.join("pg_ctl").to_string_lossy().into_owned();
        let stop = if self.as_postgres {
            format!(
                "runuser -u postgres -- '{pg_ctl}' -D '{}' -m immediate stop",
                self.data_text()
            )
        } else {
            format!("'{pg_ctl}' -D '{}' -m immediate stop", self.data_text())
        };
        watch_for_exit(&stop, &self.dir_text())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// How a [`Bouncer`] gives server connections to its clients (PgBouncer's `pool_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PoolMode {
    /// A server connection per transaction: a client's next transaction may run on another
    /// connection, so nothing may outlive a transaction (named prepared statements, session
    /// locks and settings). What managed PostgreSQL services and most production set-ups use.
    Transaction,
    /// A server connection per client session, given back (reset with `DISCARD ALL`) when the
    /// client disconnects.
    Session,
}

impl PoolMode {
    fn word(self) -> &'static str {
        match self {
            PoolMode::Transaction => "transaction",
            PoolMode::Session => "session",
        }
    }
}

/// A throwaway PgBouncer (Debian's `pgbouncer`; `PGBOUNCER` names another binary) in front of
/// a [`Cluster`]: 127.0.0.1, a free port, trust authentication, every database of the cluster
/// under its own name, and at most `pool_size` server connections per database and user while
/// up to 1000 clients connect: with a pool smaller than the clients, a client's transactions
/// run on whichever server connection is free. Stopped and removed when dropped, or when the
/// process that started it exits.
pub struct Bouncer {
    dir: PathBuf,
    port: u16,
    mode: PoolMode,
    as_postgres: bool,
}

impl fmt::Debug for Bouncer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bouncer")
            .field("dir", &self.dir)
            .field("port", &self.port)
            .field("mode", &self.mode)
            .finish()
    }
}

/// The PgBouncer this process shares between its tests in `mode`, in front of the [`shared`]
/// cluster; started on first use. In transaction mode, one server connection per database for
/// all of its clients; in session mode (where a client keeps its server connection until it
/// disconnects, so that a smaller pool would only keep clients waiting) 20.
pub fn shared_bouncer(mode: PoolMode) -> Result<&'static Bouncer, Unavailable> {
    static TRANSACTION: OnceLock<Result<Bouncer, Unavailable>> = OnceLock::new();
    static SESSION: OnceLock<Result<Bouncer, Unavailable>> = OnceLock::new();
    let (cell, pool_size) = match mode {
        PoolMode::Transaction => (&TRANSACTION, 1),
        PoolMode::Session => (&SESSION, 20),
    };
    cell.get_or_init(|| Bouncer::start(shared()?, mode, pool_size))
        .as_ref()
        .map_err(Clone::clone)
}

/// The shared PgBouncer in `mode`, or `None` after printing why `what` is skipped; a failure
/// instead where `CI` is set, like [`required`].
pub fn required_bouncer(mode: PoolMode, what: &str) -> Option<&'static Bouncer> {
    match shared_bouncer(mode) {
        Ok(bouncer) => Some(bouncer),
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("{what} need PostgreSQL and PgBouncer, and CI must run them: {why}")
        }
        Err(why) => {
            eprintln!(
                "skipped: {what} need PostgreSQL and PgBouncer ({why}); install Debian's postgresql and pgbouncer (.ci/postgres.sh)"
            );
            None
        }
    }
}

impl Bouncer {
    /// Starts a PgBouncer in `mode` in front of `cluster`, with at most `pool_size` server
    /// connections per database and user, on a free port of 127.0.0.1, and waits until it
    /// takes connections.
    pub fn start(
        cluster: &Cluster,
        mode: PoolMode,
        pool_size: u32,
    ) -> Result<Bouncer, Unavailable> {
        let binary = std::env::var_os("PGBOUNCER")
            .map(PathBuf::from)
            .or_else(|| {
                [
                    "/usr/sbin/pgbouncer",
                    "/usr/bin/pgbouncer",
                    "/usr/local/bin/pgbouncer",
                ]
                .into_iter()
                .map(PathBuf::from)
                .find(|path| path.is_file())
            })
            .ok_or_else(|| {
                Unavailable("no pgbouncer found (Debian's pgbouncer, or PGBOUNCER)".into())
            })?;
        let dir = std::env::temp_dir().join(format!(
            "throwaway-pgbouncer-{}-{}",
            std::process::id(),
            next_number()
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|error| Unavailable(format!("cannot create {}: {error}", dir.display())))?;
        let mut bouncer = Bouncer {
            dir,
            port: 0,
            mode,
            as_postgres: cluster.as_postgres,
        };
        // Trust, as the cluster does; PgBouncer still wants the user in its auth file.
        bouncer.write("userlist.txt", "\"postgres\" \"\"\n")?;
        let mut last = Unavailable("no attempt".into());
        // A free port may be taken by someone else before PgBouncer binds it: try another.
        for _ in 0..5 {
            bouncer.port = free_port()?;
            let dir = bouncer.dir.to_string_lossy().into_owned();
            let settings = format!(
                "[databases]\n* = host=127.0.0.1 port={cluster_port}\n\n[pgbouncer]\n\
                 listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
                 auth_type = trust\nauth_file = {dir}/userlist.txt\n\
                 pool_mode = {mode}\nmax_client_conn = 1000\ndefault_pool_size = {pool_size}\n\
                 min_pool_size = 0\nreserve_pool_size = 0\nmax_db_connections = 0\n\
                 server_login_retry = 1\nlogfile = {dir}/pgbouncer.log\npidfile = {dir}/pgbouncer.pid\n",
                cluster_port = cluster.port(),
                port = bouncer.port,
                mode = mode.word(),
            );
            bouncer.write("pgbouncer.ini", &settings)?;
            if bouncer.as_postgres {
                cluster.run_plain("chown", &["-R", "postgres", &dir])?;
            }
            let ini = format!("{dir}/pgbouncer.ini");
            let binary = binary.to_string_lossy().into_owned();
            // `-d`: it forks into the background once it listens, and writes its pid file.
            let started = if bouncer.as_postgres {
                cluster.run_plain("runuser", &["-u", "postgres", "--", &binary, "-d", &ini])
            } else {
                cluster.run_plain(&binary, &["-d", &ini])
            };
            match started.and_then(|()| bouncer.wait_until_ready()) {
                Ok(()) => {
                    bouncer.watch_for_exit()?;
                    return Ok(bouncer);
                }
                Err(why) => {
                    bouncer.stop();
                    let log = std::fs::read_to_string(bouncer.dir.join("pgbouncer.log"))
                        .unwrap_or_default();
                    last = Unavailable(format!("{why}{}", tail(&log)));
                }
            }
        }
        let _ = std::fs::remove_dir_all(&bouncer.dir);
        Err(last)
    }

    /// The URL of database `database` (of the cluster behind it) through this PgBouncer.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// The URL `cluster_url` (a URL of the cluster behind it) names, through this PgBouncer.
    pub fn in_front_of(&self, cluster_url: &str) -> String {
        let database = cluster_url.rsplit('/').next().unwrap_or_default();
        self.url(database)
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its pool mode.
    pub fn mode(&self) -> PoolMode {
        self.mode
    }

    fn write(&self, name: &str, text: &str) -> Result<(), Unavailable> {
        let path = self.dir.join(name);
        std::fs::write(&path, text)
            .map_err(|error| Unavailable(format!("cannot write {}: {error}", path.display())))
    }

    fn pid(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join("pgbouncer.pid"))
            .ok()
            .map(|pid| pid.trim().to_string())
            .filter(|pid| !pid.is_empty())
    }

    /// Polls until its pid file is written and its port takes connections (at most 10 s).
    fn wait_until_ready(&self) -> Result<(), Unavailable> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if self.pid().is_some()
                && std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok()
            {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Err(Unavailable(format!(
            "pgbouncer did not listen on 127.0.0.1:{} within 10 s",
            self.port
        )))
    }

    /// Stops it at once (SIGTERM: its clients' connections are closed).
    fn stop(&self) {
        if let Some(pid) = self.pid() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid])
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }

    /// A watchdog that stops it and removes its folder once this process has exited (a
    /// bouncer in a `static` is never dropped).
    fn watch_for_exit(&self) -> Result<(), Unavailable> {
        let pid = self.pid().unwrap_or_default();
        watch_for_exit(&format!("kill -TERM {pid}"), &self.dir.to_string_lossy())
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The folder of `initdb`, `pg_ctl` and `postgres`: `PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin` (Debian), else the folder `pg_config --bindir` names.
fn server_binaries() -> Result<PathBuf, Unavailable> {
    if let Some(bin) = std::env::var_os("PG_BIN") {
        return checked(PathBuf::from(bin));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return checked(bin);
    }
    let output = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .map_err(|_| {
            Unavailable(
                "no PostgreSQL server binaries found (no /usr/lib/postgresql/*/bin, no pg_config)"
                    .into(),
            )
        })?;
    checked(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

fn checked(bin: PathBuf) -> Result<PathBuf, Unavailable> {
    if bin.join("initdb").is_file() && bin.join("pg_ctl").is_file() {
        Ok(bin)
    } else {
        Err(Unavailable(format!(
            "{} has no initdb and pg_ctl",
            bin.display()
        )))
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

fn free_port() -> Result<u16, Unavailable> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| Unavailable(format!("no free port on 127.0.0.1: {error}")))
}

fn next_number() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The last lines of the server's log, for an error message.
fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let start = lines.len().saturating_sub(5);
    if lines.is_empty() {
        String::new()
    } else {
        format!("\nserver log:\n{}", lines[start..].join("\n"))
    }
}

/// Starts a shell that waits for this process to exit, however it exits (a server or a pooler
/// in a `static` is never dropped), then runs `stop` and removes `dir`.
fn watch_for_exit(stop: &str, dir: &str) -> Result<(), Unavailable> {
    let script = format!(
        "while kill -0 {me} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
        me = std::process::id(),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|error| Unavailable(format!("cannot start the watchdog: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(cluster: &Cluster) -> bool {
        let port = cluster.port().to_string();
        cluster
            .server_command("pg_isready", &["-h", "127.0.0.1", "-p", &port])
            .is_ok()
    }

    #[test]
    fn a_cluster_starts_takes_databases_stops_starts_again_and_is_removed() {
        let Some(_) = required("the throwaway cluster's own tests") else {
            return;
        };
        let cluster = Cluster::start(&[]).unwrap();
        let url = cluster.create_database("A Test").unwrap();
        assert!(url.starts_with(&format!(
            "postgres://postgres@127.0.0.1:{}/a_test_",
            cluster.port()
        )));
        assert!(ready(&cluster));
        cluster.stop().unwrap();
        assert!(!ready(&cluster));
        cluster.start_again().unwrap();
        assert!(ready(&cluster));
        let dir = cluster.dir.clone();
        drop(cluster);
        assert!(!dir.exists());
    }

    #[test]
    fn a_bouncer_in_either_mode_passes_queries_to_its_cluster_and_is_removed() {
        let Some(cluster) = required("the throwaway PgBouncer's own tests") else {
            return;
        };
        for mode in [PoolMode::Transaction, PoolMode::Session] {
            let Some(_) = required_bouncer(mode, "the throwaway PgBouncer's own tests") else {
                return;
            };
            let bouncer = Bouncer::start(cluster, mode, 1).unwrap();
            let url = cluster.create_database("through the bouncer").unwrap();
            let through = bouncer.in_front_of(&url);
            assert!(through.starts_with(&format!(
                "postgres://postgres@127.0.0.1:{}/through_the_bouncer_",
                bouncer.port()
            )));
            let port = bouncer.port().to_string();
            let database = through.rsplit('/').next().unwrap();
            cluster
                .server_command(
                    "psql",
                    &[
                        "-h",
                        "127.0.0.1",
                        "-p",
                        &port,
                        "-U",
                        "postgres",
                        "-d",
                        database,
                        "-c",
                        "SELECT 1",
                    ],
                )
                .unwrap();
            let dir = bouncer.dir.clone();
            drop(bouncer);
            assert!(!dir.exists());
        }
    }
}
