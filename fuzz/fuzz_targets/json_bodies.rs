#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vslc_app::fuzzing::json_bodies(data));
