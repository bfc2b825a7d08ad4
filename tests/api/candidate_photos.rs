use std::io::Write;

use image::ImageFormat;
use serde_json::{Value, json};
use vslc_api_tests::{TestApp, spawn_app};

fn photo(w: u32, h: u32, red: bool, format: ImageFormat) -> Vec<u8> {
    let bg = if red {
        image::Rgb([210, 20, 30])
    } else {
        image::Rgb([30, 90, 200])
    };
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        if x > w / 4 && x < 3 * w / 4 && y > h / 5 {
            image::Rgb([120, 120, 120])
        } else {
            bg
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

async fn candidate(app: &TestApp, token: &str, id: &str) -> String {
    let body = json!({"kind": "school", "name": "王强", "namePinyin": "WANG QIANG", "idType": "身份证", "idNumber": id,
        "phone": "18512340926", "majorCode": "510201", "enrolmentYear": 2024});
    let r = app.post("/api/candidates", Some(token), body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["candidateNo"].as_str().unwrap().to_owned()
}

async fn import_zip(app: &TestApp, token: &str, bytes: Vec<u8>) -> Value {
    let r = app
        .post(
            "/api/imports",
            Some(token),
            json!({"type": "candidate-photos", "fileName": "照片.zip"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["contentType"], "application/zip");
    assert_eq!(app.put_upload(&r.body, bytes).await, 200);
    app.wait_import(token, r.body["id"].as_str().unwrap()).await
}

async fn reasons(app: &TestApp, done: &Value) -> Vec<(String, String)> {
    let bytes = app
        .http
        .get(done["failedRowsUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    vslc_imports::xlsx::read_first_sheet(&bytes).unwrap()[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

#[tokio::test]
async fn a_photo_zip_attaches_good_photos_and_refuses_hostile_entries() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let ok = candidate(&app, &t, "513321200001010014").await;
    let png = candidate(&app, &t, "11010519491231002X").await;
    let blue = candidate(&app, &t, "320106199108171231").await;
    let zeros = vec![0u8; 6 * 1024 * 1024];
    let squeezed = vec![0u8; 4 * 1024 * 1024];
    let entries = vec![
        (
            "513321200001010014.jpg",
            photo(295, 413, true, ImageFormat::Jpeg),
        ),
        (
            "photos/11010519491231002x.png",
            photo(295, 413, true, ImageFormat::Png),
        ),
        (
            "320106199108171231.jpg",
            photo(295, 413, false, ImageFormat::Jpeg),
        ),
        (
            "110105200002290013.jpg",
            photo(295, 413, true, ImageFormat::Jpeg),
        ),
        (
            "../../etc/cron.d/evil.jpg",
            photo(295, 413, true, ImageFormat::Jpeg),
        ),
        ("/absolute.jpg", photo(295, 413, true, ImageFormat::Jpeg)),
        ("bomb.jpg", zeros),
        ("squeezed.jpg", squeezed),
        (
            "44030619880229004X.jpg",
            b"GIF89a not a photo at all".to_vec(),
        ),
        ("readme.txt", b"hello".to_vec()),
    ];
    let done = import_zip(&app, &t, zip_of(&entries)).await;
    assert_eq!(
        (
            done["total"].as_u64(),
            done["success"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some(10), Some(2), Some(8)),
        "{done}"
    );
    let got = reasons(&app, &done).await;
    let reason = |name: &str| {
        got.iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.as_str())
            .unwrap_or("(accepted)")
            .to_owned()
    };
    assert_eq!(reason("320106199108171231.jpg"), "照片底色须为红色");
    assert_eq!(
        reason("110105200002290013.jpg"),
        "本校没有证件号码为 110105200002290013 的考生"
    );
    assert_eq!(
        reason("../../etc/cron.d/evil.jpg"),
        "文件名含路径跳转或绝对路径，已拒绝"
    );
    assert_eq!(
        reason("/absolute.jpg"),
        "文件名含路径跳转或绝对路径，已拒绝"
    );
    assert_eq!(reason("bomb.jpg"), "照片大小须在5M以内");
    assert_eq!(reason("squeezed.jpg"), "压缩比异常，疑似压缩炸弹，已拒绝");
    assert_eq!(reason("44030619880229004X.jpg"), "照片须为 JPG 或 PNG 格式");
    assert_eq!(
        reason("readme.txt"),
        "文件名须为“证件号码.jpg”或“证件号码.png”"
    );

    for (no, status) in [(&ok, "信息待认证"), (&png, "信息待认证"), (&blue, "无照片")]
    {
        let c = app.get(&format!("/api/candidates/{no}"), Some(&t)).await;
        assert_eq!(c.body["status"], status, "{no}");
    }
    let link = app
        .get(&format!("/api/candidates/{ok}/photo"), Some(&t))
        .await;
    let bytes = app
        .http
        .get(link.body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        &bytes[..3],
        &[0xFF, 0xD8, 0xFF],
        "the stored photo is the JPEG"
    );
    app.stop().await;
}

#[tokio::test]
async fn windows_style_traversal_is_listed_as_a_failed_entry_not_skipped() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let ok = candidate(&app, &t, "513321200001010014").await;
    let entries = vec![
        (
            "513321200001010014.jpg",
            photo(295, 413, true, ImageFormat::Jpeg),
        ),
        (r"..\..\win.jpg", photo(295, 413, true, ImageFormat::Jpeg)),
        (
            r"photos\..\..\x.jpg",
            photo(295, 413, true, ImageFormat::Jpeg),
        ),
    ];
    let done = import_zip(&app, &t, zip_of(&entries)).await;
    assert_eq!(
        (
            done["total"].as_u64(),
            done["success"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some(3), Some(1), Some(2)),
        "{done}"
    );
    let got = reasons(&app, &done).await;
    assert!(
        got.contains(&(
            r"..\..\win.jpg".to_owned(),
            "文件名含路径跳转或绝对路径，已拒绝".to_owned()
        )),
        "{got:?}"
    );
    let view = app.get(&format!("/api/candidates/{ok}"), Some(&t)).await;
    assert_eq!(view.body["status"], "信息待认证", "{}", view.body);
}

#[tokio::test]
async fn zips_with_too_many_entries_or_no_zip_at_all_are_refused_whole() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let many: Vec<(String, Vec<u8>)> = (0..10_000)
        .map(|i| (format!("{i}.jpg"), Vec::new()))
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let done = import_zip(&app, &t, zip_of(&refs)).await;
    assert_eq!(done["status"], "失败");
    assert_eq!(
        done["message"],
        "压缩包内文件数为10000个，超过5000个的上限，请拆分后分批导入"
    );
    let done = import_zip(&app, &t, b"PK but not really a zip".to_vec()).await;
    assert_eq!(done["message"], "文件不是有效的 zip 压缩包");
    let xlsx = app
        .post(
            "/api/imports",
            Some(&t),
            json!({"type": "candidate-photos", "fileName": "照片.xlsx"}),
        )
        .await;
    assert_eq!(
        (xlsx.status, xlsx.body["message"].as_str()),
        (400, Some("请上传 .zip 格式的压缩包"))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_single_photo_is_checked_and_frozen_once_accurate() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let no = candidate(&app, &t, "513321200001010014").await;
    let begin = app
        .post(
            &format!("/api/candidates/{no}/photo"),
            Some(&t),
            json!({"contentType": "image/jpeg"}),
        )
        .await;
    assert_eq!(
        app.put_upload(&begin.body, photo(300, 400, true, ImageFormat::Jpeg))
            .await,
        200
    );
    let bad = app
        .post(
            &format!("/api/candidates/{no}/photo/confirm"),
            Some(&t),
            json!({}),
        )
        .await;
    assert_eq!(
        (bad.status, bad.body["message"].as_str()),
        (400, Some("照片像素须为295×413（当前300×400）"))
    );
    let begin = app
        .post(
            &format!("/api/candidates/{no}/photo"),
            Some(&t),
            json!({"contentType": "image/jpeg"}),
        )
        .await;
    app.put_upload(&begin.body, photo(295, 413, true, ImageFormat::Jpeg))
        .await;
    let ok = app
        .post(
            &format!("/api/candidates/{no}/photo/confirm"),
            Some(&t),
            json!({}),
        )
        .await;
    assert_eq!(
        (
            ok.status,
            ok.body["status"].as_str(),
            ok.body["hasPhoto"].as_bool()
        ),
        (200, Some("信息待认证"), Some(true))
    );

    app.set_candidate(
        &no,
        vslc_ports::table::Update::new().set("status", "信息准确"),
    )
    .await;
    let frozen = app
        .post(
            &format!("/api/candidates/{no}/photo"),
            Some(&t),
            json!({"contentType": "image/jpeg"}),
        )
        .await;
    assert_eq!(
        (frozen.status, frozen.body["message"].as_str()),
        (409, Some("考生信息已准确，不能修改照片"))
    );
    let two = app.login("school2-admin").await;
    assert_eq!(
        app.get(&format!("/api/candidates/{no}/photo"), Some(&two))
            .await
            .status,
        404
    );
    app.stop().await;
}

async fn wait_status(app: &TestApp, token: &str, no: &str, want: &str) -> Value {
    for _ in 0..100 {
        let c = app.get(&format!("/api/candidates/{no}"), Some(token)).await;
        if c.body["status"] == want && c.body["checking"] == false {
            return c.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{no} never became {want}");
}

#[tokio::test]
async fn authentication_runs_through_the_identity_queue() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let first17 = "11010519900101999";
    let mismatch_id = format!(
        "{first17}{}",
        vslc_ports::domain::identity::check_char(first17.as_bytes()) as char
    );
    let good = candidate(&app, &t, "513321200001010014").await;
    let mismatch = candidate(&app, &t, &mismatch_id).await;
    let no_photo = candidate(&app, &t, "320106199108171231").await;
    let early = app
        .post(
            &format!("/api/candidates/{no_photo}/authenticate"),
            Some(&t),
            json!({}),
        )
        .await;
    assert_eq!(
        (early.status, early.body["message"].as_str()),
        (409, Some("只有“信息待认证”的考生可以认证，当前为“无照片”"))
    );

    let zip = zip_of(&[
        (
            "513321200001010014.jpg",
            photo(295, 413, true, ImageFormat::Jpeg),
        ),
        (
            &format!("{mismatch_id}.jpg"),
            photo(295, 413, true, ImageFormat::Jpeg),
        ),
    ]);
    assert_eq!(import_zip(&app, &t, zip).await["success"], 2);
    let batch = app
        .post(
            "/api/candidates/authenticate",
            Some(&t),
            json!({"ids": [good, mismatch, no_photo]}),
        )
        .await;
    assert_eq!(
        (
            batch.body["succeeded"].as_u64(),
            batch.body["failed"].as_u64()
        ),
        (Some(2), Some(1)),
        "{}",
        batch.body
    );

    let ok = wait_status(&app, &t, &good, "信息准确").await;
    assert!(ok["reviewReason"].is_null());
    let review = wait_status(&app, &t, &mismatch, "需人工确认").await;
    assert_eq!(review["reviewReason"], "公安照片比对不一致");
    let confirmed = app
        .post(
            &format!("/api/candidates/{mismatch}/confirm"),
            Some(&t),
            json!({}),
        )
        .await;
    assert_eq!(confirmed.body["status"], "信息准确");
    let again = app
        .post(
            &format!("/api/candidates/{good}/authenticate"),
            Some(&t),
            json!({}),
        )
        .await;
    assert_eq!(again.status, 409, "already 信息准确");
    app.stop().await;
}
