#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vslc_app::fuzzing::xlsx(data));
