//! The error-body reader on any bytes, under any status: it never panics, and its message is
//! bounded whatever the body's size.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &[u8])| {
    let (status, body) = input;
    let error = anyfast_video::tolerant::read_error(100 + status % 500, body);
    assert!(error.to_string().len() <= 3 * body.len() + 16 * 1024);
});
