//! The shape the compiler cannot check on its own: each storage-key prefix
//! is written by one crate, area code never names an adapter or a cloud
//! SDK, and no crate grows past 8,000 lines. Scans the workspace's sources
//! (test code excluded: it may build keys to look at storage directly).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every crate of the workspace: (`areas/candidates`, its directory).
fn crates() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for group in ["shared", "areas", "functions"] {
        let mut dirs: Vec<_> = fs::read_dir(root().join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("Cargo.toml").exists())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = format!("{group}/{}", dir.file_name().unwrap().to_string_lossy());
            out.push((name, dir));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A crate's library and binary sources, without `#[cfg(test)]` modules
/// (which end each file by house style) and without comment lines.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&dir.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = fs::read_to_string(&f).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(i) => &text[..i],
                None => &text[..],
            };
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| format!("{l}\n"))
                .collect();
            (f, code)
        })
        .collect()
}

/// Key prefixes written as literals: `"CAND#`, `"ORG#`, `"ROOMNAME#` …
fn key_prefixes(code: &str) -> BTreeSet<String> {
    let bytes = code.as_bytes();
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices('"') {
        let rest = &bytes[i + 1..];
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_')
            .count();
        if len > 0 && rest[0].is_ascii_uppercase() && rest.get(len) == Some(&b'#') {
            found.insert(String::from_utf8_lossy(&rest[..=len]).into_owned());
        }
    }
    found
}

#[test]
fn each_key_prefix_belongs_to_one_crate() {
    let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, dir) in crates() {
        for (_, code) in sources(&dir) {
            for prefix in key_prefixes(&code) {
                owners.entry(prefix).or_default().insert(name.clone());
            }
        }
    }
    assert!(owners.contains_key("ROOMNAME#"), "the scan finds the keys");
    let shared: Vec<String> = owners
        .iter()
        .filter(|(_, crates)| crates.len() > 1)
        .map(|(prefix, crates)| format!("{prefix} in {crates:?}"))
        .collect();
    assert!(
        shared.is_empty(),
        "a key prefix is written by more than one crate; call the owning \
         area's typed API instead:\n{}",
        shared.join("\n")
    );
}

#[test]
fn key_prefixes_are_found_in_code() {
    let found = key_prefixes(r#"Key::new(pk, format!("ROOMNAME#{plan}")); "a#b"; "CAND#""#);
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        vec!["CAND#".to_owned(), "ROOMNAME#".to_owned()]
    );
}

#[test]
fn areas_name_no_adapter_and_no_cloud_sdk() {
    let forbidden = [
        "aws_sdk_",
        "redb",
        "vslc_adapters",
        "aws-sdk-",
        "vslc-adapters",
    ];
    let mut offences = Vec::new();
    for (name, dir) in crates() {
        // The adapters themselves, the runtime that composes them and the
        // dev server are the only places that may.
        if matches!(
            name.as_str(),
            "shared/adapters" | "shared/runtime" | "functions/local"
        ) {
            continue;
        }
        let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let deps = manifest
            .split("[dev-dependencies]")
            .next()
            .unwrap_or_default();
        for word in forbidden {
            if deps.contains(word) {
                offences.push(format!("{name}/Cargo.toml depends on {word}"));
            }
        }
        for (file, code) in sources(&dir) {
            for word in forbidden {
                if code.contains(word) {
                    offences.push(format!("{} names {word}", file.display()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

#[test]
fn no_crate_is_over_8000_lines() {
    let mut big = Vec::new();
    for (name, dir) in crates() {
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        let lines: usize = files
            .iter()
            .map(|f| fs::read_to_string(f).unwrap().lines().count())
            .sum();
        if lines > 8_000 {
            big.push(format!("{name}: {lines} lines"));
        }
    }
    assert!(big.is_empty(), "split these crates: {}", big.join(", "));
}
