//! The create reader on any bytes, under any status: it returns, it never panics, and a task
//! it returns always has an id.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &[u8])| {
    let (status, body) = input;
    if let Ok(task) = anyfast_video::tolerant::read_created(100 + status % 500, body) {
        assert!(!task.id.is_empty());
    }
});
