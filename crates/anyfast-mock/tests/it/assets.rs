//! The asset library: groups, assets made from URLs, inline files and uploads, their life
//! from Inactive to Active, paging and filtering, each token's own library, and `asset://`
//! references in creates.

use std::time::Duration;

use crate::common::*;
use anyfast_mock::{
    Fault, FaultKind, LAST_FRAME_PNG, MockConfig, MockServer, Route, SAMPLE_VIDEO, Timing,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

fn instant() -> MockConfig {
    MockConfig::default().timing(Timing::Instant)
}

/// A WAV file's first bytes: what the library reads its type from.
fn wav() -> Vec<u8> {
    let mut bytes = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00".to_vec();
    bytes.extend_from_slice(&[0x44, 0xac, 0, 0, 0x88, 0x58, 1, 0, 2, 0, 16, 0]);
    bytes.extend_from_slice(b"data\x00\x00\x00\x00");
    bytes
}

/// Makes an asset from JSON and returns its id.
async fn create_asset(mock: &MockServer, body: Value) -> String {
    let created = asset_json(mock, "CreateAsset", &body).await;
    created["Id"].as_str().expect("an asset id").to_string()
}

/// The 400 of a refused asset call: its `param` and `message`.
async fn refused(response: reqwest::Response) -> (String, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 400, "{body}");
    (
        body["error"]["param"].as_str().unwrap().to_string(),
        body["error"]["message"].as_str().unwrap().to_string(),
    )
}

fn is_iso_8601(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() == 20
        && bytes[4] == b'-'
        && bytes[10] == b'T'
        && text.ends_with('Z')
        && text.chars().filter(char::is_ascii_digit).count() == 14
}

/// `prefix-<14 digits>-<digits>`.
fn is_library_id(id: &str, prefix: &str) -> bool {
    let Some(rest) = id.strip_prefix(prefix) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('-').collect();
    parts.len() == 2
        && parts[0].len() == 14
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[tokio::test]
async fn a_group_then_an_asset_by_url_which_get_asset_describes() {
    let mock = start(instant()).await;
    let group = create_group(&mock, "my-project").await;
    assert!(is_library_id(&group, "group-"), "{group}");
    let id = create_asset(
        &mock,
        json!({"model": "volc-asset", "GroupId": group, "Name": "character-reference",
               "AssetType": "Image", "URL": "https://example.com/character.png"}),
    )
    .await;
    assert!(is_library_id(&id, "asset-"), "{id}");

    let asset = asset_json(&mock, "GetAsset", &json!({"Id": id})).await;
    let keys: Vec<&str> = asset
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "AssetType",
        "CreateTime",
        "GroupId",
        "Id",
        "Name",
        "ProjectName",
        "Status",
        "URL",
        "UpdateTime",
    ];
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(asset["Id"], id.as_str());
    assert_eq!(asset["Name"], "character-reference");
    assert_eq!(asset["URL"], "https://example.com/character.png");
    assert_eq!(asset["AssetType"], "Image");
    assert_eq!(asset["GroupId"], group.as_str());
    assert_eq!(asset["Status"], "Active");
    assert_eq!(asset["ProjectName"], "default");
    for time in ["CreateTime", "UpdateTime"] {
        assert!(
            is_iso_8601(asset[time].as_str().unwrap()),
            "{time}: {asset}"
        );
    }

    let seen = mock.asset(&id).unwrap();
    assert_eq!(
        (
            seen.answer.asset_type.as_deref(),
            seen.file,
            seen.media_type
        ),
        (Some("Image"), None, None)
    );
    assert_eq!(mock.count(Route::Assets), 3);
}

#[tokio::test]
async fn bad_asset_requests_get_400_naming_the_field() {
    let mock = start(instant()).await;
    let (param, _) =
        refused(asset_call(&mock, "CreateAssetGroup", &json!({"model": "volc-asset"})).await).await;
    assert_eq!(param, "Name");
    let (param, _) =
        refused(asset_call(&mock, "CreateAssetGroup", &json!({"Name": ""})).await).await;
    assert_eq!(param, "Name");
    let (param, _) = refused(
        asset_call(
            &mock,
            "CreateAssetGroup",
            &json!({"Name": "a", "model": "volc-image"}),
        )
        .await,
    )
    .await;
    assert_eq!(param, "model");

    let group = create_group(&mock, "g").await;
    let asset = |url: &str, asset_type: &str| json!({"GroupId": group, "Name": "n", "AssetType": asset_type, "URL": url});
    let cases = [
        (
            json!({"GroupId": group, "Name": "n", "AssetType": "Image"}),
            "URL",
        ),
        (asset("https://example.com/a.png", "Picture"), "AssetType"),
        (asset("http://example.com/a.png", "Image"), "URL"),
        (asset("data:image/png;base64,@@@", "Image"), "URL"),
        (
            asset(
                &format!("data:image/png;base64,{}", BASE64.encode(b"not a png")),
                "Image",
            ),
            "URL",
        ),
        (asset(&BASE64.encode(LAST_FRAME_PNG), "Audio"), "URL"),
        (
            json!({"GroupId": "group-20260101000000-99999", "Name": "n", "AssetType": "Image",
                   "URL": "https://example.com/a.png"}),
            "GroupId",
        ),
    ];
    for (body, field) in cases {
        let (param, message) = refused(asset_call(&mock, "CreateAsset", &body).await).await;
        assert_eq!(param, field, "{body}: {message}");
    }
    let (param, _) = refused(asset_call(&mock, "GetAsset", &json!({})).await).await;
    assert_eq!(param, "Id");
    let not_json = http()
        .post(format!("{}/volc/asset/GetAsset", mock.base_url()))
        .bearer_auth(KEY)
        .body("{\"Id\":")
        .send()
        .await
        .unwrap();
    assert_eq!(refused(not_json).await.0, "body");
    assert_eq!(mock.asset_count(), 0, "nothing was filed");
}

#[tokio::test]
async fn an_unknown_asset_is_404_with_the_documented_error_body() {
    let mock = start(instant()).await;
    let response = asset_call(
        &mock,
        "GetAsset",
        &json!({"Id": "asset-20260320120147-00001"}),
    )
    .await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "asset_not_exist");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("asset-20260320120147-00001")
    );
}

#[tokio::test]
async fn inline_files_are_stored_and_served_on_the_download_listener() {
    let mock = start(instant()).await;
    let group = create_group(&mock, "g").await;
    let data_uri = format!("data:image/png;base64,{}", BASE64.encode(LAST_FRAME_PNG));
    let from_uri = create_asset(
        &mock,
        json!({"GroupId": group, "Name": "frame", "AssetType": "Image", "URL": data_uri}),
    )
    .await;
    let raw = BASE64.encode(wav());
    let from_raw = create_asset(
        &mock,
        json!({"model": "volc-asset-audio", "GroupId": group, "Name": "tone",
               "AssetType": "Audio", "URL": raw}),
    )
    .await;

    let image = asset_json(&mock, "GetAsset", &json!({"Id": from_uri})).await;
    let url = image["URL"].as_str().unwrap();
    assert!(
        url.starts_with(&format!(
            "{}/assets/{from_uri}.png?X-Tos-Signature=",
            mock.download_base_url()
        )),
        "{url}"
    );
    let served = http().get(url).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(&served.bytes().await.unwrap()[..], LAST_FRAME_PNG);

    let audio = mock.asset(&from_raw).unwrap();
    assert_eq!(
        (audio.answer.asset_type.as_deref(), audio.media_type),
        (Some("Audio"), Some("audio/wav"))
    );
    assert_eq!(audio.file.as_deref(), Some(&wav()[..]));
    let url = audio.answer.url.unwrap_or_default();
    assert!(url.contains(".wav?X-Tos-Signature="), "{url}");

    // The log keeps neither file.
    for record in mock
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/CreateAsset"))
    {
        let logged = record.body.as_ref().unwrap()["URL"].as_str().unwrap();
        assert!(logged.contains("characters not logged"), "{logged}");
        assert!(
            !logged.contains(&raw[..16]) && logged.len() < 80,
            "{logged}"
        );
    }
    let image_log = &mock.requests()[1];
    assert_eq!(
        image_log.body.as_ref().unwrap()["URL"],
        format!(
            "data:image/png;base64,…[{} characters not logged]",
            BASE64.encode(LAST_FRAME_PNG).len()
        )
    );
}

#[tokio::test]
async fn uploads_take_their_type_from_their_bytes() {
    let mock = start(instant()).await;
    let group = create_group(&mock, "g").await;
    let fields = [
        ("model", "volc-asset-video"),
        ("GroupId", group.as_str()),
        ("Name", "clip"),
    ];
    let response = upload(&mock, &fields, "clip.bin", SAMPLE_VIDEO.to_vec()).await;
    let status = response.status();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{created}");
    let id = created["Id"].as_str().unwrap();

    let asset = asset_json(&mock, "GetAsset", &json!({"Id": id})).await;
    assert_eq!(
        (&asset["AssetType"], &asset["Name"]),
        (&json!("Video"), &json!("clip"))
    );
    let url = asset["URL"].as_str().unwrap();
    let ranged = http()
        .get(url)
        .header("range", "bytes=4-7")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), 206);
    assert_eq!(ranged.headers()["content-type"], "video/mp4");
    assert_eq!(&ranged.bytes().await.unwrap()[..], b"ftyp");
    let (path, _) = url.split_once('?').unwrap();
    assert_eq!(
        http().get(path).send().await.unwrap().status(),
        403,
        "unsigned"
    );

    // Even under the image model, an MP3 is audio.
    let mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    let fields = [("GroupId", group.as_str()), ("Name", "song")];
    let created: Value = upload(&mock, &fields, "song.mp3", mp3)
        .await
        .json()
        .await
        .unwrap();
    let song = mock.asset(created["Id"].as_str().unwrap()).unwrap();
    assert_eq!(
        (song.answer.asset_type.as_deref(), song.media_type),
        (Some("Audio"), Some("audio/mpeg"))
    );

    // The log has the form's fields and the file's size, not its bytes.
    let logged = mock
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/CreateAsset"))
        .unwrap()
        .body
        .unwrap();
    assert_eq!(
        logged,
        json!({"model": "volc-asset-video", "GroupId": group, "Name": "clip",
               "file": {"filename": "clip.bin", "content_type": null, "bytes": SAMPLE_VIDEO.len()}})
    );
}

#[tokio::test]
async fn uploads_outside_the_limits_are_refused_naming_the_file() {
    let mock = start(instant()).await;
    let group = create_group(&mock, "g").await;
    let fields = [
        ("model", "volc-asset-audio"),
        ("GroupId", group.as_str()),
        ("Name", "n"),
    ];

    let (param, message) =
        refused(upload(&mock, &fields, "a.txt", b"just text".to_vec()).await).await;
    assert_eq!(param, "file");
    assert!(
        message.contains("audio/mpeg"),
        "the audio model's types are listed: {message}"
    );

    // 15 MB of audio is too much (the limit is "under 15 MB").
    let mut big = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    big.resize(15 * 1024 * 1024, 0);
    let (param, message) = refused(upload(&mock, &fields, "big.mp3", big).await).await;
    assert_eq!(param, "file");
    assert!(message.contains("limit of 15 MiB"), "{message}");

    let (param, _) =
        refused(upload(&mock, &fields[..2], "a.png", LAST_FRAME_PNG.to_vec()).await).await;
    assert_eq!(param, "Name");
    let no_group = [("Name", "n"), ("GroupId", "group-20260101000000-404")];
    let (param, _) =
        refused(upload(&mock, &no_group, "a.png", LAST_FRAME_PNG.to_vec()).await).await;
    assert_eq!(param, "GroupId");
    let without_file = http()
        .post(format!("{}/volc/asset/CreateAsset", mock.base_url()))
        .bearer_auth(KEY)
        .multipart(
            reqwest::multipart::Form::new()
                .text("GroupId", group.clone())
                .text("Name", "n"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused(without_file).await.0, "file");
    assert_eq!(mock.asset_count(), 0);
}

#[tokio::test]
async fn a_new_asset_is_inactive_for_a_moment_and_cannot_be_used_until_active() {
    let activation = Duration::from_millis(600);
    let mock = start(instant().asset_activation(activation)).await;
    let group = create_group(&mock, "g").await;
    let id = create_asset(
        &mock,
        json!({"GroupId": group, "Name": "face", "AssetType": "Image",
               "URL": "https://example.com/face.png"}),
    )
    .await;
    let fresh = asset_json(&mock, "GetAsset", &json!({"Id": id})).await;
    assert_eq!(fresh["Status"], "Inactive");
    assert!(!mock.asset(&id).unwrap().is_active());

    let using = |url: String| {
        json!({"model": "seedance", "content": [
            {"type": "text", "text": "@image1 waves"},
            {"type": "image_url", "image_url": {"url": url}, "role": "reference_image"}
        ]})
    };
    let early = create(&mock, &using(format!("asset://{id}"))).await;
    let (param, message) = refused(early).await;
    assert_eq!(param, "content[1].image_url.url");
    assert!(message.contains("Inactive"), "{message}");
    assert_eq!(mock.task_count(), 0);

    until("Active", || mock.asset(&id).unwrap().is_active()).await;
    let later = asset_json(&mock, "GetAsset", &json!({"Id": id})).await;
    assert_eq!(later["Status"], "Active");
    assert!(mock.asset(&id).unwrap().is_active());
    // The docs also write `Asset://`.
    assert_eq!(
        create(&mock, &using(format!("Asset://{id}")))
            .await
            .status(),
        200
    );
    // An asset the mock does not know may have been made elsewhere: it passes.
    let elsewhere = using("asset://asset-20250101000000-elsewhere".into());
    assert_eq!(create(&mock, &elsewhere).await.status(), 200);
    assert_eq!(mock.task_count(), 2);
}

#[tokio::test]
async fn by_default_assets_activate_as_fast_as_tasks_start() {
    let mock = start(MockConfig::default()).await;
    let group = create_group(&mock, "g").await;
    let body =
        json!({"GroupId": group, "Name": "a", "AssetType": "Image", "URL": "https://e.com/a.png"});
    let id = create_asset(&mock, body).await;
    assert_eq!(
        MockConfig::default().asset_activation_for(&id),
        Duration::from_millis(300),
        "Fast timing: Active after 300 ms, as a task starts"
    );
    until("Active", || mock.asset(&id).unwrap().is_active()).await;
}

#[tokio::test]
async fn an_asset_of_another_kind_is_refused_where_it_is_used() {
    let mock = start(instant()).await;
    let group = create_group(&mock, "g").await;
    let song = create_asset(
        &mock,
        json!({"GroupId": group, "Name": "song", "AssetType": "Audio", "URL": "https://e.com/a.mp3"}),
    )
    .await;
    let body = json!({"model": "seedance", "content": [
        {"type": "text", "text": "dance"},
        {"type": "video_url", "video_url": {"url": format!("asset://{song}")}}
    ]});
    let (param, message) = refused(create(&mock, &body).await).await;
    assert_eq!(param, "content[1].video_url.url");
    assert!(
        message.contains("is of type Audio, and a video_url item takes a Video asset"),
        "{message}"
    );
}

#[tokio::test]
async fn list_assets_pages_newest_first_and_filters() {
    let mock = start(instant()).await;
    let (one, two) = (
        create_group(&mock, "one").await,
        create_group(&mock, "two").await,
    );
    let mut made = Vec::new();
    for n in 0..13 {
        let group = if n < 8 { &one } else { &two };
        let name = if n % 3 == 0 { "hero" } else { "extra" };
        made.push(
            create_asset(
                &mock,
                json!({"GroupId": group, "Name": name, "AssetType": "Image",
                       "URL": format!("https://e.com/{n}.png")}),
            )
            .await,
        );
    }
    let ids = |page: &Value| -> Vec<String> {
        page["Items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["Id"].as_str().unwrap().to_string())
            .collect()
    };
    let newest_first: Vec<String> = made.iter().rev().cloned().collect();

    let first = asset_json(&mock, "ListAssets", &json!({})).await;
    assert_eq!(
        (
            &first["PageNumber"],
            &first["PageSize"],
            &first["TotalCount"]
        ),
        (&json!(1), &json!(10), &json!(13))
    );
    assert_eq!(ids(&first), newest_first[..10]);
    let second = asset_json(
        &mock,
        "ListAssets",
        &json!({"PageNumber": 2, "PageSize": 10}),
    )
    .await;
    assert_eq!(ids(&second), newest_first[10..]);
    let beyond = asset_json(&mock, "ListAssets", &json!({"PageNumber": 9})).await;
    assert_eq!((ids(&beyond).len(), &beyond["TotalCount"]), (0, &json!(13)));
    let all = asset_json(&mock, "ListAssets", &json!({"PageSize": 100})).await;
    assert_eq!(ids(&all), newest_first);
    assert_eq!(
        all["Items"][0],
        asset_json(&mock, "GetAsset", &json!({"Id": made[12]})).await
    );

    let heroes_in_two = asset_json(
        &mock,
        "ListAssets",
        &json!({"model": "volc-asset", "Filter": {"Name": "hero", "GroupType": "AIGC", "GroupIds": [two]}}),
    )
    .await;
    assert_eq!(ids(&heroes_in_two), [made[12].clone(), made[9].clone()]);
    assert_eq!(heroes_in_two["TotalCount"], 2);
    let in_one = asset_json(&mock, "ListAssets", &json!({"Filter": {"GroupIds": [one]}})).await;
    assert_eq!(in_one["TotalCount"], 8);

    for (body, field) in [
        (json!({"PageNumber": 0}), "PageNumber"),
        (json!({"PageSize": 0}), "PageSize"),
        (json!({"PageSize": 101}), "PageSize"),
        (json!({"PageNumber": 3_000_000_000_u64}), "PageNumber"),
        (json!({"Filter": {"GroupIds": "one"}}), "Filter.GroupIds"),
    ] {
        let (param, message) = refused(asset_call(&mock, "ListAssets", &body).await).await;
        assert_eq!(param, field, "{body}: {message}");
    }
}

#[tokio::test]
async fn each_token_sees_only_its_own_library() {
    // Assets stay Inactive for the whole test, so that using one is refused to its owner.
    let mock = start(instant().asset_activation(Duration::from_secs(3600))).await;
    let group = create_group(&mock, "mine").await;
    let id = create_asset(
        &mock,
        json!({"GroupId": group, "Name": "a", "AssetType": "Image", "URL": "https://e.com/a.png"}),
    )
    .await;
    let as_other = |path: &str, body: Value| {
        http()
            .post(format!("{}{path}", mock.base_url()))
            .bearer_auth("someone-else")
            .json(&body)
            .send()
    };
    let get = as_other("/volc/asset/GetAsset", json!({"Id": id}))
        .await
        .unwrap();
    assert_eq!(get.status(), 404);
    let page: Value = as_other("/volc/asset/ListAssets", json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["TotalCount"], 0);
    let into_my_group = as_other(
        "/volc/asset/CreateAsset",
        json!({"GroupId": group, "Name": "b", "AssetType": "Image", "URL": "https://e.com/b.png"}),
    )
    .await
    .unwrap();
    assert_eq!(refused(into_my_group).await.0, "GroupId");

    // To another token the asset is one the mock does not know, which passes; to its owner it
    // is Inactive, which does not.
    let using = json!({"model": "seedance", "content": [
        {"type": "image_url", "image_url": {"url": format!("asset://{id}")}, "role": "first_frame"}
    ]});
    let theirs = as_other("/v1/video/generations", using.clone())
        .await
        .unwrap();
    assert_eq!(theirs.status(), 200);
    assert_eq!(
        refused(create(&mock, &using).await).await.0,
        "content[0].image_url.url"
    );
    assert_eq!((mock.asset_count(), mock.task_count()), (1, 1));
}

#[tokio::test]
async fn the_library_asks_for_a_token_and_takes_faults_like_the_other_routes() {
    let mock = start(instant().api_key("sk-right")).await;
    for operation in ["CreateAssetGroup", "CreateAsset", "GetAsset", "ListAssets"] {
        let response = http()
            .post(format!("{}/volc/asset/{operation}", mock.base_url()))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{operation}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_api_key");
        let wrong = http()
            .post(format!("{}/volc/asset/{operation}", mock.base_url()))
            .bearer_auth("sk-wrong")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401, "{operation}");
    }
    assert_eq!(mock.count(Route::Assets), 8);
    assert!(mock.requests().iter().all(|r| r.route == Route::Assets));

    let mock = start(instant()).await;
    mock.inject(Fault::next(
        Route::Assets,
        1,
        FaultKind::RateLimited {
            retry_after_secs: 2,
        },
    ));
    let limited = asset_call(&mock, "CreateAssetGroup", &json!({"Name": "g"})).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "2");
    assert_eq!(mock.asset_group_count(), 0, "a 429 does nothing");
    mock.inject(Fault::next(Route::Assets, 1, FaultKind::MalformedJson));
    let malformed = asset_call(&mock, "CreateAssetGroup", &json!({"Name": "g"})).await;
    assert_eq!(malformed.status(), 200);
    assert!(malformed.json::<Value>().await.is_err());
    assert_eq!(
        mock.asset_group_count(),
        1,
        "the group was made before the answer broke"
    );
    // Faults on other routes leave the library alone.
    mock.inject(Fault::new(Some(Route::Create), FaultKind::DropConnection));
    create_group(&mock, "g2").await;
    assert_eq!(mock.asset_group_count(), 2);
}

#[tokio::test]
async fn delete_asset_removes_an_asset_of_its_owner_only() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();
    let http = http();
    let post = |path: &str, token: &str, body: serde_json::Value| {
        http.post(format!("{}/volc/asset/{path}", mock.base_url()))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let group: serde_json::Value = post(
        "CreateAssetGroup",
        "owner",
        serde_json::json!({"Name": "g"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let png = BASE64.encode(LAST_FRAME_PNG);
    let made: serde_json::Value = post(
        "CreateAsset",
        "owner",
        serde_json::json!({"GroupId": group["Id"], "Name": "a", "AssetType": "Image", "URL": format!("data:image/png;base64,{png}")}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let id = made["Id"].as_str().unwrap().to_string();
    let stranger = post("DeleteAsset", "someone-else", serde_json::json!({"Id": id}))
        .await
        .unwrap();
    assert_eq!(stranger.status(), 404, "another key cannot see it");
    let deleted = post(
        "DeleteAsset",
        "owner",
        serde_json::json!({"model": "volc-asset", "Id": id}),
    )
    .await
    .unwrap();
    assert_eq!(deleted.status(), 200);
    let body: serde_json::Value = deleted.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"Id": id, "Deleted": true}));
    assert!(mock.asset(&id).is_none());
    let missing = post("DeleteAsset", "owner", serde_json::json!({}))
        .await
        .unwrap();
    assert_eq!(missing.status(), 400, "Id is required");
}
