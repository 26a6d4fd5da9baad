//! Per-call overhead: `Videos::get` of one finished task, against a plain GET of the same URL
//! decoded to a `serde_json::Value` (and the same with the library's settings), one call after
//! the other on one keep-alive connection.

use std::hint::black_box;

use anyfast_video::TaskStatus;
use anyhow::{Result, ensure};
use serde_json::Value;

use super::{
    ChildReport, Stopwatch, Variant, library_client, plain_api_client, plain_get, raw_api_client,
    raw_get,
};

pub async fn run(
    variant: Variant,
    base_url: &str,
    id: &str,
    warmup: u32,
    calls: u32,
) -> Result<ChildReport> {
    match variant {
        Variant::Raw | Variant::Matched => {
            let plain = variant == Variant::Raw;
            let http = if plain {
                plain_api_client()?
            } else {
                raw_api_client()?
            };
            let url = format!("{base_url}/v1/video/generations/{id}");
            let once = || async {
                if plain {
                    plain_get(&http, &url).await
                } else {
                    raw_get(&http, &url).await
                }
            };
            for _ in 0..warmup {
                black_box(once().await?);
            }
            let watch = Stopwatch::start()?;
            let mut last = Value::Null;
            for _ in 0..calls {
                last = black_box(once().await?);
            }
            let report = watch.report(calls.into())?;
            ensure!(
                last["data"]["status"] == "SUCCESS",
                "unexpected answer {last}"
            );
            Ok(report)
        }
        Variant::Client => {
            let client = library_client(base_url, anyfast_video::DEFAULT_MAX_CONCURRENT_REQUESTS)?;
            let videos = client.videos();
            for _ in 0..warmup {
                black_box(videos.get(id).await?);
            }
            let watch = Stopwatch::start()?;
            let mut last = None;
            for _ in 0..calls {
                last = Some(black_box(videos.get(id).await?));
            }
            let report = watch.report(calls.into())?;
            ensure!(
                last.is_some_and(|task| task.status == TaskStatus::Succeeded),
                "unexpected answer"
            );
            Ok(report)
        }
    }
}
