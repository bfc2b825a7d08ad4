//! Replays the fuzz corpus (`fuzz/corpus/<target>/*`, kept in the repo) on
//! stable: every input the fuzzers found interesting, and every crash they
//! once found, must still be handled without a panic.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_file() {
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} panicked", path.display());
            inputs += 1;
        }
    }
    assert!(inputs > 0, "no corpus for {target}");
}

#[test]
fn xlsx_corpus() {
    replay("xlsx", vslc_app::fuzzing::xlsx);
}

#[test]
fn photo_zip_corpus() {
    replay("photo_zip", vslc_app::fuzzing::photo_zip);
}

#[test]
fn id_numbers_corpus() {
    replay("id_numbers", vslc_app::fuzzing::id_numbers);
}

#[test]
fn json_bodies_corpus() {
    replay("json_bodies", vslc_app::fuzzing::json_bodies);
}
