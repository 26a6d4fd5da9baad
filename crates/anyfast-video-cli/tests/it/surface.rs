//! Seedance 2.0's whole surface from the command line: both models and their resolutions, the
//! last frame, any field, the asset library and the models list; and the key, searched for in
//! everything every command printed and in the journal.

use crate::common::*;
use anyfast_mock::{LAST_FRAME_PNG, MockServer, Route, SAMPLE_VIDEO, Timing};
use serde_json::Value;

fn last_create_body(mock: &MockServer) -> Value {
    mock.requests()
        .into_iter()
        .rfind(|request| request.route == Route::Create)
        .and_then(|request| request.body)
        .expect("a create reached the mock")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1080p_seedance_video_is_made_with_its_last_frame() {
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let (video, frame) = (dir.path().join("v.mp4"), dir.path().join("last.png"));
    let output = run(
        &mock,
        &[
            "--json",
            "generate",
            "a cat wakes up",
            "--model",
            "seedance",
            "--resolution",
            "1080p",
            "--last-frame",
            frame.to_str().unwrap(),
            "-o",
            video.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO);
    assert_eq!(std::fs::read(&frame).unwrap(), LAST_FRAME_PNG);
    assert!(LAST_FRAME_PNG.starts_with(b"\x89PNG"));
    let sent = last_create_body(&mock);
    assert_eq!(
        (sent["model"].as_str(), sent["resolution"].as_str()),
        (Some("seedance"), Some("1080p"))
    );
    assert_eq!(sent["return_last_frame"], true);
    let report = json(&output);
    assert!(report["last_frame_url"].as_str().is_some(), "{report}");
    assert!(
        report["last_frame_path"]
            .as_str()
            .unwrap()
            .ends_with("last.png")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1080p_seedance_fast_request_is_refused_before_anything_is_sent() {
    let mock = mock(Timing::Instant).await;
    let output = run(
        &mock,
        &["--json", "create", "a cat", "--resolution", "1080p"],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    let error = json(&output);
    assert_eq!(error["error"]["field"], "resolution");
    assert!(
        stderr(&output).contains("seedance-fast makes 480p, 720p only"),
        "{}",
        stderr(&output)
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_local_video_is_uploaded_as_an_asset_only_when_asked() {
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("dance.mp4");
    std::fs::write(&clip, SAMPLE_VIDEO).unwrap();
    let clip = clip.to_str().unwrap();

    let refused = run(&mock, &["create", "@video1 dances", "--video", clip]).await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("--upload"),
        "{}",
        stderr(&refused)
    );
    assert!(mock.requests().is_empty());

    let output = run(
        &mock,
        &[
            "--json",
            "create",
            "@video1 dances",
            "--video",
            clip,
            "--upload",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("as asset://asset-"),
        "{}",
        stderr(&output)
    );
    let sent = last_create_body(&mock);
    let url = sent["content"][1]["video_url"]["url"].as_str().unwrap();
    let asset = url.strip_prefix("asset://").expect("sent as an asset");
    assert!(mock.asset(asset).is_some());
    assert_eq!(mock.asset_count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_fields_and_any_other_field_reach_the_body() {
    let mock = mock(Timing::Instant).await;
    let output = run(
        &mock,
        &[
            "create",
            "a cat",
            "--seed",
            "-1",
            "--camera-fixed",
            "--callback-url",
            "https://example.com/done",
            "--service-tier",
            "flex",
            "--expires-after",
            "3600",
            "--param",
            "frames_per_second=24",
            "--param",
            r#"user={"team":"ads"}"#,
            "--param",
            "label=spring",
            "--return-last-frame",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let sent = last_create_body(&mock);
    for (field, value) in [
        ("seed", serde_json::json!(-1)),
        ("camera_fixed", serde_json::json!(true)),
        (
            "callback_url",
            serde_json::json!("https://example.com/done"),
        ),
        ("service_tier", serde_json::json!("flex")),
        ("execution_expires_after", serde_json::json!(3600)),
        ("frames_per_second", serde_json::json!(24)),
        ("user", serde_json::json!({"team": "ads"})),
        ("label", serde_json::json!("spring")),
        ("return_last_frame", serde_json::json!(true)),
    ] {
        assert_eq!(sent[field], value, "{field}");
    }

    // A field the spec types is read with its type: a number is sent, a word is refused.
    let typed = run(&mock, &["create", "a cat", "--param", "duration=8"]).await;
    assert!(typed.status.success(), "{}", stderr(&typed));
    assert_eq!(last_create_body(&mock)["duration"], 8);
    let mistyped = run(
        &mock,
        &["--json", "create", "a cat", "--param", "duration=long"],
    )
    .await;
    assert_eq!(mistyped.status.code(), Some(2));
    assert_eq!(json(&mistyped)["error"]["field"], "duration");
    let http = run(
        &mock,
        &["create", "a cat", "--callback-url", "http://example.com/x"],
    )
    .await;
    assert_eq!(http.status.code(), Some(2));
    assert!(stderr(&http).contains("callback_url"), "{}", stderr(&http));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_asset_commands_make_groups_upload_list_and_get() {
    let mock = mock(Timing::Fast).await;
    let dir = tempfile::tempdir().unwrap();
    let face = dir.path().join("face.png");
    std::fs::write(&face, LAST_FRAME_PNG).unwrap();

    let group = json(&run(&mock, &["--json", "assets", "groups", "create", "ads"]).await);
    let group = group["id"].as_str().unwrap().to_string();
    assert!(group.starts_with("group-"));
    let human = stdout(&run(&mock, &["assets", "groups", "create", "more"]).await);
    assert!(human.trim().starts_with("group-"), "{human}");

    let uploaded = run(
        &mock,
        &[
            "--json",
            "assets",
            "upload",
            face.to_str().unwrap(),
            "--group",
            &group,
            "--name",
            "hero",
        ],
    )
    .await;
    assert!(uploaded.status.success(), "{}", stderr(&uploaded));
    let asset = json(&uploaded);
    assert_eq!(asset["status"], "Active", "upload waits until Active");
    assert_eq!(asset["kind"], "Image");
    let id = asset["id"].as_str().unwrap().to_string();
    assert_eq!(asset["reference"], format!("asset://{id}"));

    let listed = json(&run(&mock, &["--json", "assets", "list", "--group", &group]).await);
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_eq!(listed["total"], 1);
    let got = json(&run(&mock, &["--json", "assets", "get", &id]).await);
    assert_eq!(got["name"], "hero");
    let table = stdout(&run(&mock, &["assets", "list", "--all"]).await);
    assert!(table.contains(&id) && table.contains("Active"), "{table}");

    let svg = dir.path().join("logo.svg");
    std::fs::write(&svg, "<svg/>").unwrap();
    let refused = run(
        &mock,
        &[
            "--json",
            "assets",
            "upload",
            svg.to_str().unwrap(),
            "--group",
            &group,
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(json(&refused)["error"]["field"], "file");
    let missing = run(&mock, &["assets", "get", "asset-nope"]).await;
    assert_eq!(missing.status.code(), Some(3));

    let deleted = json(&run(&mock, &["--json", "assets", "delete", &id]).await);
    assert_eq!(deleted, serde_json::json!({"id": id, "deleted": true}));
    assert!(mock.asset(&id).is_none(), "gone from the library");
    let gone = run(&mock, &["assets", "get", &id]).await;
    assert_eq!(gone.status.code(), Some(3));
    let again = run(&mock, &["assets", "delete", &id]).await;
    assert_eq!(
        again.status.code(),
        Some(3),
        "deleting it twice is an error: it is not there"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn models_lists_the_video_models_and_all_of_them_on_request() {
    let mock = mock(Timing::Instant).await;
    let video = json(&run(&mock, &["--json", "models"]).await);
    let ids: Vec<&str> = video
        .as_array()
        .unwrap()
        .iter()
        .map(|model| model["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"seedance") && ids.contains(&"seedance-fast"),
        "{ids:?}"
    );
    assert!(
        video
            .as_array()
            .unwrap()
            .iter()
            .all(|model| model["video"] == true)
    );
    let all = json(&run(&mock, &["--json", "models", "--all"]).await);
    assert!(all.as_array().unwrap().len() > ids.len());
    let human = stdout(&run(&mock, &["models"]).await);
    // Each model with its family (the family picks the body a request is sent in).
    for line in [
        "seedance\tSeedance",
        "doubao-seedance-1-5-pro-251215\tSeedance",
        "wan2.2-t2v-a14b\tWan",
        "happyhorse-1.0-i2v\tHappyHorse",
        "kling-v3\tKling",
    ] {
        assert!(human.lines().any(|shown| shown == line), "{line}: {human}");
    }
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|model| model["family"] == "Seedance"),
        "{all}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_appears_nowhere_any_command_prints_nor_in_the_journal() {
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    std::fs::write(dir.path().join("face.png"), LAST_FRAME_PNG).unwrap();
    std::fs::write(
        dir.path().join("batch.jsonl"),
        r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "a batch cat"}]}"#,
    )
    .unwrap();
    let mut printed = String::new();
    let mut id = String::new();
    let mut group = String::new();
    let commands: Vec<Vec<String>> = vec![
        vec![
            "generate".into(),
            "a cat".into(),
            "-o".into(),
            file("g.mp4"),
            "--last-frame".into(),
            file("g.png"),
        ],
        vec!["create".into(), "a dog".into()],
        vec!["status".into(), "ID".into()],
        vec!["wait".into(), "ID".into(), "-o".into(), file("w.mp4")],
        vec!["download".into(), "ID".into(), "-o".into(), file("d.mp4")],
        vec!["status".into(), "cgt-unknown".into()],
        vec!["create".into(), "t".into(), "--duration".into(), "0".into()],
        vec![
            "assets".into(),
            "groups".into(),
            "create".into(),
            "keys".into(),
        ],
        vec![
            "assets".into(),
            "upload".into(),
            file("face.png"),
            "--group".into(),
            "GROUP".into(),
        ],
        vec!["assets".into(), "list".into()],
        vec!["models".into()],
        vec!["tasks".into()],
        vec!["resume".into(), "--all".into()],
        vec![
            "batch".into(),
            file("batch.jsonl"),
            "--out-dir".into(),
            file("out"),
        ],
    ];
    // Plain, with --json, and with every log at trace level (-vvv): the key in none of them.
    for (json_flag, trace) in [(false, false), (true, false), (false, true)] {
        for args in &commands {
            let mut args: Vec<String> = args
                .iter()
                .map(|arg| arg.replace("ID", &id).replace("GROUP", &group))
                .collect();
            if ["generate", "wait", "resume", "batch"].contains(&args[0].as_str()) {
                args.extend(["--poll-interval".into(), "0.05".into()]);
            }
            if trace {
                args.insert(0, "-vvv".into());
            }
            if json_flag {
                args.insert(0, "--json".into());
                args.push("--force".into());
                if !["generate", "wait", "download"].contains(&args[1].as_str()) {
                    args.pop();
                }
            }
            let mut command = command();
            command
                .env("ANYFAST_API_KEY", KEY)
                .args(["--base-url", &mock.base_url(), "--journal"])
                .arg(&journal)
                .args(&args);
            let output = tokio::task::spawn_blocking(move || command.output().unwrap())
                .await
                .unwrap();
            let text = format!("{}{}", stdout(&output), stderr(&output));
            if args.contains(&"a dog".to_string()) && id.is_empty() {
                id = text
                    .lines()
                    .find(|line| line.starts_with("cgt-"))
                    .unwrap_or_default()
                    .to_string();
            }
            if args.contains(&"keys".to_string()) && group.is_empty() {
                group = text
                    .lines()
                    .find(|line| line.starts_with("group-"))
                    .unwrap_or_default()
                    .to_string();
            }
            printed.push_str(&text);
        }
    }
    assert!(
        !id.is_empty() && !group.is_empty(),
        "the sweep ran the commands for real"
    );
    assert!(
        printed.contains("TRACE") && printed.contains("anyfast_video"),
        "the sweep ran with every log on"
    );
    assert!(!printed.contains(KEY), "the key was printed");
    let stored = std::fs::read(&journal).unwrap();
    assert!(
        !String::from_utf8_lossy(&stored).contains(KEY),
        "the key is in the journal"
    );
    for request in mock.requests() {
        if request.route == Route::Download {
            assert!(!request.authorization, "{} carried the key", request.path);
        }
    }
    assert!(mock.count(Route::Download) >= 2);
}
