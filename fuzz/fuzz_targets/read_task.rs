//! The query reader on any bytes, under any status: it returns, it never panics, the task
//! keeps the asked id, and a succeeded task always has a video URL.
#![no_main]

use anyfast_video::TaskStatus;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &[u8])| {
    let (status, body) = input;
    if let Ok(task) = anyfast_video::tolerant::read_task("cgt-fuzz", 100 + status % 500, body) {
        assert_eq!(task.id, "cgt-fuzz");
        assert!(task.progress <= 100);
        if task.status == TaskStatus::Succeeded {
            assert!(task.video_url.is_some());
        }
    }
});
