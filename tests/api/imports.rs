use serde_json::json;
use vslc_api_tests::{spawn_app, workbook};

#[tokio::test]
async fn template_downloads_as_xlsx_with_headers_and_instructions() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let r = app
        .http
        .get(app.url("/api/imports/templates/demo-notes"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    let rows = vslc_imports::xlsx::read_first_sheet(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(rows[0], vec!["*编号", "*内容", "日期"]);
    let unknown = app
        .get("/api/imports/templates/nothing", Some(&token))
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.body["code"], "UNKNOWN_IMPORT_TYPE");
    app.stop().await;
}

#[tokio::test]
async fn an_import_runs_end_to_end_and_offers_the_failed_rows() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let file = workbook(&[
        vec!["*编号", "*内容", "日期"],
        vec!["10001", "示例内容：第一次课", "2026-03-01"],
        vec!["A1", "第一行", "2026-02-30"],
        vec!["A2", "第二行", ""],
        vec!["A2", "重复编号", ""],
        vec!["", "没有编号", ""],
        vec!["A3", "=HYPERLINK(\"x\")", "2026-03-02"],
    ]);
    let id = app
        .upload_import(&token, "demo-notes", "备注.xlsx", file.clone(), false)
        .await;
    let done = app.wait_import(&token, &id).await;
    assert_eq!(done["status"], "已完成", "{done}");
    assert_eq!(
        (
            done["total"].as_u64(),
            done["success"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some(5), Some(2), Some(3)),
        "{done}"
    );
    assert_eq!(done["progress"], 100);

    let url = done["failedRowsUrl"].as_str().expect("failed rows offered");
    let bytes = app
        .http
        .get(url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let rows = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    assert_eq!(rows[0], vec!["*编号", "*内容", "日期", "失败原因"]);
    assert_eq!(
        rows[1],
        vec![
            "A1",
            "第一行",
            "2026-02-30",
            "第3行：日期须为 YYYY-MM-DD 格式的真实日期"
        ]
    );
    assert_eq!(rows[2][3], "第5行：与第4行编号重复");
    assert_eq!(rows[3][3], "第6行：编号不能为空");

    // The same file again: every row now exists, none is saved twice.
    let again = app
        .upload_import(&token, "demo-notes", "备注.xlsx", file, false)
        .await;
    let done = app.wait_import(&token, &again).await;
    assert_eq!(done["success"], 0);
    assert_eq!(done["failed"], 5);

    let list = app
        .get("/api/imports?type=demo-notes&pageSize=1", Some(&token))
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["id"], again.as_str(), "newest first");
    // The next page, from the cursor, is the older one; then the list ends.
    let cursor = list.body["nextCursor"].as_str().unwrap();
    let next = app
        .get(
            &format!("/api/imports?type=demo-notes&pageSize=1&cursor={cursor}"),
            Some(&token),
        )
        .await;
    assert_eq!(next.body["items"][0]["id"], id.as_str(), "{}", next.body);
    assert!(next.body["nextCursor"].is_null(), "{}", next.body);
    // A cursor the server never gave out, or another tenant's, answers 400.
    for bad in ["%%%", "eyJwayI6IlQjc2Nob29sIzEwMDA5In0"] {
        let r = app
            .get(&format!("/api/imports?cursor={bad}"), Some(&token))
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("BAD_CURSOR")),
            "{}",
            r.body
        );
    }
    let other = app.login("school2-admin").await;
    let r = app
        .get(
            &format!("/api/imports?pageSize=1&cursor={cursor}"),
            Some(&other),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (400, Some("BAD_CURSOR")),
        "{}",
        r.body
    );
    app.stop().await;
}

#[tokio::test]
async fn dry_run_reports_errors_and_saves_nothing() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let file = workbook(&[vec!["编号", "内容"], vec!["B1", "甲"], vec!["B1", "乙"]]);
    let id = app
        .upload_import(&token, "demo-notes", "校验.xlsx", file.clone(), true)
        .await;
    let done = app.wait_import(&token, &id).await;
    assert_eq!(
        (
            done["success"].as_u64(),
            done["failed"].as_u64(),
            done["dryRun"].as_bool()
        ),
        (Some(1), Some(1), Some(true))
    );
    // Nothing was saved: a real import of the same rows succeeds for B1.
    let id = app
        .upload_import(&token, "demo-notes", "正式.xlsx", file, false)
        .await;
    let done = app.wait_import(&token, &id).await;
    assert_eq!(done["success"], 1);
    app.stop().await;
}

#[tokio::test]
async fn bad_files_fail_the_import_with_a_reason() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let id = app
        .upload_import(
            &token,
            "demo-notes",
            "坏文件.xlsx",
            b"not a workbook".to_vec(),
            false,
        )
        .await;
    let done = app.wait_import(&token, &id).await;
    assert_eq!(done["status"], "失败");
    assert!(done["message"].as_str().unwrap().contains("文件无法读取"));
    let id = app
        .upload_import(
            &token,
            "demo-notes",
            "缺列.xlsx",
            workbook(&[vec!["内容"], vec!["x"]]),
            false,
        )
        .await;
    let done = app.wait_import(&token, &id).await;
    assert_eq!(done["status"], "失败");
    assert!(done["message"].as_str().unwrap().contains("编号"), "{done}");
    let bad = app
        .post(
            "/api/imports",
            Some(&token),
            json!({"type": "demo-notes", "fileName": "a.csv"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.body["message"],
        "请上传 .xlsx 格式的文件（可先下载模板）"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_school_never_sees_another_schools_imports() {
    let app = spawn_app().await;
    let one = app.login("school-admin").await;
    let two = app.login("school2-admin").await;
    let id = app
        .upload_import(
            &one,
            "demo-notes",
            "a.xlsx",
            workbook(&[vec!["编号", "内容"], vec!["C1", "x"]]),
            false,
        )
        .await;
    app.wait_import(&one, &id).await;
    let other = app.get(&format!("/api/imports/{id}"), Some(&two)).await;
    assert_eq!(other.status, 404, "another tenant's record looks missing");
    assert_eq!(other.body["message"], "导入记录不存在或无权访问");
    let list = app.get("/api/imports", Some(&two)).await;
    assert_eq!(list.body["items"], json!([]));
    // The same code in another school is that school's own.
    let id2 = app
        .upload_import(
            &two,
            "demo-notes",
            "b.xlsx",
            workbook(&[vec!["编号", "内容"], vec!["C1", "y"]]),
            false,
        )
        .await;
    assert_eq!(app.wait_import(&two, &id2).await["success"], 1);
    app.stop().await;
}

#[tokio::test]
async fn upload_urls_refuse_tampering_and_other_content_types() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let r = app
        .post(
            "/api/imports",
            Some(&token),
            json!({"type": "demo-notes", "fileName": "x.xlsx"}),
        )
        .await;
    let url = r.body["uploadUrl"].as_str().unwrap().to_owned();
    if vslc_api_tests::skip_on_moto(
        "moto does not check presigned URL signatures; S3 refuses a PUT whose key or content type differs from the signed ones",
    ) {
        // What S3 enforces is in the URL: the content type is signed.
        let signed = url
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("X-Amz-SignedHeaders="))
            .expect("a SigV4 presigned URL");
        assert!(signed.contains("content-type"), "{url}");
        app.stop().await;
        return;
    }
    let wrong_type = app
        .http
        .put(&url)
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status().as_u16(), 403);
    let tampered = url.replace("school/10009", "school/14361");
    let ct = r.body["contentType"].as_str().unwrap();
    let t = app
        .http
        .put(&tampered)
        .header("content-type", ct)
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(t.status().as_u16(), 403);
    app.stop().await;
}

#[tokio::test]
async fn registration_imports_answer_to_their_documented_names_and_their_former_ones() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let plan = vslc_app::seed::exam::DEMO_PLAN_ID;
    for kind in [
        "registrations-by-certificate",
        "registrations-by-subject",
        "registrations-cert",
        "registrations-subject",
    ] {
        let r = app
            .http
            .get(app.url(&format!(
                "/api/imports/templates/{kind}?planId={plan}&certificateId=CERT0101"
            )))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{kind}");
    }
    // A record made under the former name carries the documented one, and
    // either name finds it in 导入记录.
    let r = app
        .post(
            "/api/imports",
            Some(&token),
            json!({"type": "registrations-cert", "fileName": "报考.xlsx", "params": {"planId": plan}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let rec = app.get(&format!("/api/imports/{id}"), Some(&token)).await;
    assert_eq!(rec.body["type"], "registrations-by-certificate");
    for name in ["registrations-by-certificate", "registrations-cert"] {
        let listed = app
            .get(&format!("/api/imports?type={name}"), Some(&token))
            .await;
        assert_eq!(
            listed.body["items"].as_array().unwrap().len(),
            1,
            "{name}: {}",
            listed.body
        );
    }
    let listed = app
        .get("/api/imports?type=registrations-by-subject", Some(&token))
        .await;
    assert_eq!(listed.body["items"], json!([]));
    app.stop().await;
}
