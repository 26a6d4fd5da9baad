//! The asset library, the models list, uploads inside a create, the last frame, per-model
//! rules and extra fields: exact exchanges with httpmock, built from the spec's examples.

use std::time::Duration;

use crate::common::{KEY, client_for};
use anyfast_video::{
    AssetQuery, AssetStatus, AssetUpload, Client, Error, KnownResolution, MediaKind, MediaSource,
    Resolution, RetryPolicy, VideoRequest,
};
use httpmock::{Method, MockServer};
use serde_json::json;

/// A tiny MP4 header (an `ftyp` box of brand isom) and some bytes: enough for type sniffing.
const MP4: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2mp41\0\0\0\x08free";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// A mock that answers every request 500, to count the requests that should never come.
async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start_async().await;
    let client = client_for(&server.base_url(), RetryPolicy::never());
    (server, client)
}

#[tokio::test]
async fn a_group_is_created_with_the_documented_body() {
    let (server, client) = server().await;
    let create = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/CreateAssetGroup")
                .header("authorization", format!("Bearer {KEY}"))
                .json_body(json!({"model": "volc-asset", "Name": "my-project"}));
            then.status(200)
                .json_body(json!({"Id": "group-20260427160000-xxxxx"}));
        })
        .await;
    let id = client.assets().create_group("my-project").await.unwrap();
    assert_eq!(id, "group-20260427160000-xxxxx");
    create.assert_async().await;
    let refused = client.assets().create_group(" ").await.unwrap_err();
    assert_eq!(refused.field(), Some("Name"));
    create.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_file_is_uploaded_as_multipart_with_its_kind_read_from_its_bytes() {
    let (server, client) = server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dance.mp4");
    std::fs::write(&path, MP4).unwrap();
    let upload = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/CreateAsset")
                .header_includes("content-type", "multipart/form-data")
                .body_includes("name=\"model\"\r\n\r\nvolc-asset-video")
                .body_includes("name=\"GroupId\"\r\n\r\ngroup-1")
                .body_includes("name=\"Name\"\r\n\r\ndance.mp4")
                .body_includes("filename=\"dance.mp4\"")
                .body_includes("ftypisom");
            then.status(200)
                .json_body(json!({"Id": "asset-20260320120147-pqwhc"}));
        })
        .await;
    let id = client
        .assets()
        .upload("group-1", AssetUpload::file(&path))
        .await
        .unwrap();
    assert_eq!(id, "asset-20260320120147-pqwhc");
    upload.assert_async().await;
}

#[tokio::test]
async fn files_the_library_does_not_take_are_refused_before_sending() {
    let (server, client) = server().await;
    let anything = catch_all(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("logo.svg");
    std::fs::write(&svg, b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    let error = client
        .assets()
        .upload("group-1", AssetUpload::file(&svg))
        .await
        .unwrap_err();
    assert_eq!(error.field(), Some("file"));
    assert!(
        error.to_string().contains("not a file of a supported type"),
        "{error}"
    );

    let huge = dir.path().join("huge.mp4");
    let file = std::fs::File::create(&huge).unwrap();
    std::io::Write::write_all(&mut &file, MP4).unwrap();
    file.set_len(60 * 1024 * 1024).unwrap();
    let error = client
        .assets()
        .upload("group-1", AssetUpload::file(&huge))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("limit of 50 MiB"), "{error}");
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_url_is_uploaded_as_json_and_waited_for_until_active() {
    let (server, client) = server().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/CreateAsset")
                .json_body(json!({
                    "model": "volc-asset", "GroupId": "group-1", "Name": "character.png",
                    "AssetType": "Image", "URL": "https://example.com/character.png"
                }));
            then.status(200).json_body(json!({"Id": "asset-1"}));
        })
        .await;
    let id = client
        .assets()
        .upload(
            "group-1",
            AssetUpload::url("https://example.com/character.png", MediaKind::Image),
        )
        .await
        .unwrap();
    let inactive = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/GetAsset")
                .json_body(json!({"Id": "asset-1"}));
            then.status(200)
                .json_body(json!({"Id": "asset-1", "Status": "Inactive"}));
        })
        .await;
    let waiting = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .assets()
                .wait_until_active(&id, Duration::from_secs(20))
                .await
        }
    });
    while inactive.calls_async().await < 2 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    inactive.delete_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/volc/asset/GetAsset");
            then.status(200).json_body(json!({
                "Id": "asset-1", "Name": "character.png", "AssetType": "Image", "GroupId": "group-1",
                "Status": "Active", "CreateTime": "2026-03-20T12:01:47Z"
            }));
        })
        .await;
    let asset = waiting.await.unwrap().unwrap();
    assert_eq!(asset.status, AssetStatus::Active);
    assert_eq!(asset.kind, Some(MediaKind::Image));
    assert_eq!(asset.reference(), "asset://asset-1");
    assert!(asset.created_at.is_some());
}

#[tokio::test]
async fn an_asset_that_never_becomes_active_ends_the_wait_with_its_id() {
    let (server, client) = server().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/volc/asset/GetAsset");
            then.status(200)
                .json_body(json!({"Id": "asset-9", "Status": "Inactive"}));
        })
        .await;
    let error = client
        .assets()
        .wait_until_active("asset-9", Duration::from_millis(600))
        .await
        .unwrap_err();
    match error {
        Error::AssetNotActive {
            asset_id, status, ..
        } => assert_eq!(
            (asset_id.as_str(), status.as_str()),
            ("asset-9", "Inactive")
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn every_page_is_read_and_list_all_follows_them() {
    let (server, client) = server().await;
    for page in 1..=3 {
        let items: Vec<_> = (0..2)
            .filter(|n| page < 3 || *n == 0)
            .map(|n| json!({"Id": format!("asset-{page}-{n}"), "Status": "Active"}))
            .collect();
        server
            .mock_async(move |when, then| {
                when.method(Method::POST)
                    .path("/volc/asset/ListAssets")
                    .json_body_includes(json!({"PageNumber": page, "PageSize": 2}).to_string())
                    .json_body_includes(json!({"Filter": {"GroupIds": ["group-1"]}}).to_string());
                then.status(200).json_body(json!({
                    "PageNumber": page, "PageSize": 2, "TotalCount": "5", "Items": items
                }));
            })
            .await;
    }
    let query = AssetQuery::default().group("group-1").page_size(2);
    let first = client.assets().list(query.clone()).await.unwrap();
    assert_eq!(
        (first.items.len(), first.total, first.has_more()),
        (2, Some(5), true)
    );
    let all = client.assets().list_all(query).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|asset| asset.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "asset-1-0",
            "asset-1-1",
            "asset-2-0",
            "asset-2-1",
            "asset-3-0"
        ]
    );
}

#[tokio::test]
async fn the_models_list_is_filtered_to_video_models() {
    let (server, client) = server().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/v1/models");
            then.status(200).json_body(json!({"object": "list", "data": [
                {"id": "seedance", "object": "model", "created": 1777000000, "owned_by": "anyfast", "supported_endpoint_types": ["video"]},
                {"id": "seedance-fast", "supported_endpoint_types": ["VIDEO"]},
                {"id": "gpt-4o-mini", "supported_endpoint_types": ["openai"]},
                {"object": "model"}
            ]}));
        })
        .await;
    let all = client.models().list().await.unwrap();
    assert_eq!(all.len(), 3, "an entry without an id is skipped");
    let video: Vec<String> = client
        .models()
        .video()
        .await
        .unwrap()
        .into_iter()
        .map(|model| model.id)
        .collect();
    assert_eq!(video, ["seedance", "seedance-fast"]);
}

#[tokio::test]
async fn a_local_video_marked_for_upload_is_uploaded_then_sent_as_an_asset() {
    let (server, client) = server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dance.mp4");
    std::fs::write(&path, MP4).unwrap();
    let group = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/CreateAssetGroup")
                .json_body_includes(
                    json!({"Name": anyfast_video::DEFAULT_UPLOAD_GROUP_NAME}).to_string(),
                );
            then.status(200).json_body(json!({"Id": "group-up"}));
        })
        .await;
    let upload = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/CreateAsset")
                .body_includes("group-up");
            then.status(200).json_body(json!({"Id": "asset-video-1"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/volc/asset/GetAsset");
            then.status(200)
                .json_body(json!({"Id": "asset-video-1", "Status": "Active"}));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v1/video/generations")
                .json_body_includes(
                    json!({"content": [
                        {"type": "text", "text": "@video1 的人物跳舞"},
                        {"type": "video_url", "video_url": {"url": "asset://asset-video-1"}, "role": "reference_video"}
                    ]})
                    .to_string(),
                );
            then.status(200).json_body(json!({"id": "cgt-up-1"}));
        })
        .await;
    let request =
        VideoRequest::text("@video1 的人物跳舞").video(MediaSource::upload_as_asset(&path));
    let task = client.videos().create(request.clone()).await.unwrap();
    assert_eq!(task.id, "cgt-up-1");
    assert_eq!(task.uploaded_assets.len(), 1);
    assert_eq!(task.uploaded_assets[0].asset_id, "asset-video-1");
    assert_eq!(task.uploaded_assets[0].path, path);
    create.assert_async().await;

    // The group is created once per client.
    client.videos().create(request).await.unwrap();
    group.assert_calls_async(1).await;
    upload.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_local_video_not_marked_for_upload_is_refused_with_a_hint() {
    let (server, client) = server().await;
    let anything = catch_all(&server).await;
    let error = client
        .videos()
        .create(VideoRequest::text("t").video("clip.mp4"))
        .await
        .unwrap_err();
    assert_eq!(error.field(), Some("content[1].video_url.url"));
    assert!(
        error.to_string().contains("upload a local video"),
        "{error}"
    );
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_file_marked_for_upload_must_be_the_kind_its_input_says() {
    let (server, client) = server().await;
    let anything = catch_all(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("not-a-video.png");
    std::fs::write(&png, PNG).unwrap();
    let error = client
        .videos()
        .create(VideoRequest::text("t").video(MediaSource::upload_as_asset(&png)))
        .await
        .unwrap_err();
    assert_eq!(error.field(), Some("content[1]"));
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn resolutions_are_refused_per_model_before_sending_and_others_pass() {
    let (server, client) = server().await;
    let create = server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/v1/video/generations");
            then.status(200).json_body(json!({"id": "cgt-1"}));
        })
        .await;
    let fast = VideoRequest::text("t").resolution(KnownResolution::X1080p);
    let error = client.videos().create(fast).await.unwrap_err();
    assert_eq!(error.field(), Some("resolution"));
    assert!(
        error
            .to_string()
            .contains("seedance-fast makes 480p, 720p only"),
        "{error}"
    );
    create.assert_calls_async(0).await;

    for (model, resolution) in [
        ("seedance", KnownResolution::X1080p.into()),
        ("seedance-2.0-mini", KnownResolution::X1080p.into()),
        ("seedance-2.0-mini", "1440p".parse::<Resolution>().unwrap()),
    ] {
        let request = VideoRequest::text("t").model(model).resolution(resolution);
        client.videos().create(request).await.unwrap();
    }
    create.assert_calls_async(3).await;
}

#[tokio::test]
async fn upstream_and_extra_fields_are_sent_and_a_typed_one_cannot_be_overwritten() {
    let (server, client) = server().await;
    let create = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v1/video/generations")
                .json_body_includes(
                    json!({
                        "model": "seedance", "return_last_frame": true, "seed": 42,
                        "camera_fixed": true, "callback_url": "https://example.com/done",
                        "service_tier": "flex", "execution_expires_after": 3600,
                        "user_tag": {"campaign": "spring"}
                    })
                    .to_string(),
                );
            then.status(200).json_body(json!({"id": "cgt-2"}));
        })
        .await;
    let request = VideoRequest::text("t")
        .model("seedance")
        .return_last_frame(true)
        .seed(42)
        .camera_fixed(true)
        .callback_url("https://example.com/done")
        .service_tier(anyfast_video::ServiceTier::Flex)
        .execution_expires_after(Duration::from_secs(3600))
        .extra("user_tag", json!({"campaign": "spring"}))
        .unwrap();
    client.videos().create(request).await.unwrap();
    create.assert_async().await;

    for name in ["model", "content", "return_last_frame", "seed", ""] {
        let refused = VideoRequest::text("t").extra(name, json!(1)).unwrap_err();
        assert_eq!(refused.field(), Some(name), "{name}");
    }
    let http = client
        .videos()
        .create(VideoRequest::text("t").callback_url("http://example.com/done"))
        .await
        .unwrap_err();
    assert_eq!(http.field(), Some("callback_url"));
    create.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_asset_is_deleted_with_the_documented_body_and_a_refusal_is_an_error() {
    let (server, client) = server().await;
    let deleted = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/DeleteAsset")
                .json_body(json!({"model": "volc-asset", "Id": "asset-1"}));
            then.status(200)
                .json_body(json!({"Id": "asset-1", "Deleted": true}));
        })
        .await;
    client.assets().delete("asset-1").await.unwrap();
    deleted.assert_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/DeleteAsset")
                .json_body(json!({"model": "volc-asset", "Id": "asset-kept"}));
            then.status(200)
                .json_body(json!({"Id": "asset-kept", "Deleted": false}));
        })
        .await;
    let kept = client.assets().delete("asset-kept").await.unwrap_err();
    assert!(kept.to_string().contains("was not deleted"), "{kept}");
    server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/volc/asset/DeleteAsset")
                .json_body(json!({"model": "volc-asset", "Id": "asset-gone"}));
            then.status(404)
                .json_body(json!({"error": {"message": "asset not found", "code": "NotFound"}}));
        })
        .await;
    let gone = client.assets().delete("asset-gone").await.unwrap_err();
    assert!(matches!(gone, Error::Api { status: 404, .. }), "{gone:?}");
}
