//! 操作日志: views of full personal data, exports, logins, password resets,
//! role changes and every change a session makes leave one entry each, in
//! the tenant's own log, which only its administrator reads.

use serde_json::{Value, json};
use vslc_api_tests::{TestApp, create_user, spawn_app};

fn student(id: &str, name: &str) -> Value {
    json!({"kind": "school", "name": name, "namePinyin": "Wang Qiang", "idType": "身份证", "idNumber": id,
        "phone": "18512340926", "majorCode": "510201", "enrolmentYear": 2024})
}

/// Every entry of the session's log matching the query, following cursors.
async fn entries(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = app
            .get(
                &format!("/api/audit?pageSize=100&{query}&cursor={cursor}"),
                Some(token),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        out.extend(r.body["items"].as_array().unwrap().iter().cloned());
        match r.body["nextCursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => return out,
        }
    }
}

async fn actions(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    entries(app, token, &format!("action={action}")).await
}

#[tokio::test]
async fn a_detail_view_and_an_export_each_leave_exactly_one_entry() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let id_number = "513321200001010014";
    let r = app
        .post("/api/candidates", Some(&t), student(id_number, "王强"))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let no = r.body["candidateNo"].as_str().unwrap().to_owned();

    let one = app.get(&format!("/api/candidates/{no}"), Some(&t)).await;
    assert_eq!(one.body["idNumber"], id_number);
    let views = actions(&app, &t, "candidate.view").await;
    assert_eq!(views.len(), 1, "{views:?}");
    let v = &views[0];
    assert_eq!(v["kind"], "查看");
    assert_eq!(v["label"], "查看考生");
    assert_eq!(v["module"], "考生管理");
    assert_eq!(v["targetKind"], "candidate");
    assert_eq!(v["targetId"], no.as_str());
    assert_eq!(v["targetLabel"], "王强 513*****0014");
    assert_eq!(v["userName"].as_str().map(str::is_empty), Some(false));
    assert_eq!(v["account"], "school-admin");
    assert_eq!(v["roles"], json!(["院校管理员"]));
    assert_eq!(v["outcome"], "成功");
    assert_eq!(v["clientAddr"], "127.0.0.1");
    assert_eq!(v["tenant"], json!({"kind": "school", "id": "10009"}));
    assert_eq!(v["method"], "GET");
    assert_eq!(v["route"], "/api/candidates/{no}");
    assert!(v["requestId"].as_str().is_some_and(|r| r.len() == 26));

    let export = app
        .post("/api/candidates/export", Some(&t), json!({}))
        .await;
    assert_eq!(export.status, 200, "{}", export.body);
    let exports = actions(&app, &t, "export.candidates").await;
    assert_eq!(exports.len(), 1, "{exports:?}");
    assert_eq!(exports[0]["kind"], "导出");
    assert_eq!(exports[0]["label"], "导出考生信息");
    assert_eq!(exports[0]["detail"], "1 行");
    assert!(
        actions(&app, &t, "candidates.export").await.is_empty(),
        "the export is not recorded twice"
    );
    // The creation went through the generic layer, with the new record's id.
    let created = actions(&app, &t, "candidates.create").await;
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["kind"], "新增");
    assert_eq!(created[0]["label"], "新增考生");
    assert_eq!(created[0]["targetId"], no.as_str());

    // Lists (masked) are not recorded; the full number is nowhere in the log.
    app.get("/api/candidates", Some(&t)).await;
    let all = entries(&app, &t, "").await;
    let text = serde_json::to_string(&all).unwrap();
    assert!(!text.contains(id_number), "{text}");
    assert!(!text.contains("18512340926"), "{text}");
    assert_eq!(actions(&app, &t, "candidate.view").await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn logins_and_failed_logins_leave_one_entry_each() {
    let app = spawn_app().await;
    let wrong = app
        .login_from([127, 0, 0, 9], "school-admin", "not-the-password")
        .await;
    assert_eq!(wrong.status, 401);
    let unknown = app
        .login_from([127, 0, 0, 9], "nobody-here", "not-the-password")
        .await;
    assert_eq!(unknown.status, 401);
    let t = app.login("school-admin").await;

    let failed = actions(&app, &t, "auth.login_failed").await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["outcome"], "失败");
    assert_eq!(failed[0]["detail"], "密码错误");
    assert_eq!(failed[0]["clientAddr"], "127.0.0.9");
    assert_eq!(failed[0]["kind"], "登录");
    let ok = actions(&app, &t, "auth.login").await;
    assert_eq!(ok.len(), 1, "{ok:?}");
    assert_eq!(ok[0]["outcome"], "成功");
    assert_eq!(ok[0]["module"], "登录认证");
    let all = entries(&app, &t, "").await;
    assert!(
        all.iter().all(|e| e["account"] != "nobody-here"),
        "unknown accounts stay out of every tenant's log"
    );
    let by_outcome = entries(&app, &t, "outcome=失败").await;
    assert_eq!(by_outcome.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn role_changes_password_resets_and_stops_leave_one_entry_each() {
    let app = spawn_app().await;
    let admin = app.login("school-admin").await;
    let (id, _) = create_user(&app, &admin, "kw-li", "13800138011", "考务管理员").await;
    let stop = app
        .post(&format!("/api/users/{id}/disable"), Some(&admin), json!({}))
        .await;
    assert_eq!(stop.status, 200, "{}", stop.body);
    let edit = app
        .put_json(
            &format!("/api/users/{id}"),
            &admin,
            json!({"name": "测试用户", "phone": "13800138011", "role": "统计查看"}),
        )
        .await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    let reset = app
        .post(
            &format!("/api/users/{id}/reset-password"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.body);

    let roles = actions(&app, &admin, "user.roles").await;
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!(roles[0]["kind"], "授权");
    assert_eq!(roles[0]["detail"], "角色：考务管理员 → 统计查看");
    assert_eq!(roles[0]["targetId"], id.as_str());
    assert_eq!(roles[0]["targetLabel"], "kw-li 测试用户 138****8011");
    let resets = actions(&app, &admin, "user.reset_password").await;
    assert_eq!(resets.len(), 1, "{resets:?}");
    assert_eq!(resets[0]["label"], "重置密码");
    assert_eq!(actions(&app, &admin, "user.disable").await.len(), 1);
    assert_eq!(actions(&app, &admin, "user.create").await.len(), 1);
    for generic in [
        "users.edit",
        "users.reset_password",
        "users.disable",
        "users.create",
    ] {
        assert!(
            actions(&app, &admin, generic).await.is_empty(),
            "{generic} recorded twice"
        );
    }
    // The password shown once is not in the log.
    let all = serde_json::to_string(&entries(&app, &admin, "").await).unwrap();
    assert!(!all.contains(reset.body["password"].as_str().unwrap()));
    app.stop().await;
}

#[tokio::test]
async fn every_change_a_session_makes_leaves_one_entry() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let r = app
        .post(
            "/api/candidates",
            Some(&t),
            student("513321200001010014", "王强"),
        )
        .await;
    let no = r.body["candidateNo"].as_str().unwrap().to_owned();
    let edit = app
        .put_json(
            &format!("/api/candidates/{no}"),
            &t,
            student("513321200001010014", "王强强"),
        )
        .await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    let edits = actions(&app, &t, "candidates.edit").await;
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0]["kind"], "修改");
    assert_eq!(edits[0]["label"], "编辑考生");
    assert_eq!(edits[0]["targetKind"], "candidates");
    assert_eq!(edits[0]["targetId"], no.as_str());
    assert_eq!(edits[0]["method"], "PUT");
    assert_eq!(edits[0]["route"], "/api/candidates/{no}");

    // A refused change is recorded as failed, with the reason shown.
    let bad = app
        .put_json(&format!("/api/candidates/{no}"), &t, student("123", "王强"))
        .await;
    assert_eq!(bad.status, 400);
    let failed = entries(&app, &t, "action=candidates.edit&outcome=失败").await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["detail"], bad.body["message"]);

    let gone = app.delete(&format!("/api/candidates/{no}"), &t).await;
    assert_eq!(gone.status, 204);
    let deletes = entries(&app, &t, "kind=删除").await;
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(deletes[0]["action"], "candidates.delete");

    // Without a session nothing is recorded (and nothing happens).
    let anonymous = app
        .post("/api/candidates", None, student("513321200001010014", "王"))
        .await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(actions(&app, &t, "candidates.create").await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn each_tenant_reads_only_its_own_log_and_only_its_administrator() {
    let app = spawn_app().await;
    let one = app.login("school-admin").await;
    let two = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let province = app.login("province-admin").await;
    for (token, tenant) in [
        (&one, json!({"kind": "school", "id": "10009"})),
        (&org, Value::Null),
        (&province, Value::Null),
    ] {
        let all = entries(&app, token, "").await;
        assert!(!all.is_empty());
        let own = all[0]["tenant"].clone();
        if !tenant.is_null() {
            assert_eq!(own, tenant);
        }
        assert!(
            all.iter().all(|e| e["tenant"] == own),
            "one tenant per log: {all:?}"
        );
    }
    let two_log = entries(&app, &two, "").await;
    assert!(
        two_log
            .iter()
            .all(|e| e["tenant"] != json!({"kind": "school", "id": "10009"})),
        "a school never sees another school's entries"
    );
    assert!(two_log.iter().all(|e| e["account"] == "school2-admin"));

    let (_, password) = create_user(&app, &one, "kw-wang", "13800138012", "考务管理员").await;
    let exam = app
        .post(
            "/api/auth/login",
            None,
            json!({"account": "kw-wang", "password": password}),
        )
        .await;
    let exam = exam.body["token"].as_str().unwrap().to_owned();
    let r = app.get("/api/audit", Some(&exam)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.post("/api/audit/export", Some(&exam), json!({})).await;
    assert_eq!(r.status, 403);
    let city = app.login("city-reviewer").await;
    assert_eq!(app.get("/api/audit", Some(&city)).await.status, 403);
    assert_eq!(app.get("/api/audit", None).await.status, 401);
    app.stop().await;
}

#[tokio::test]
async fn entries_cannot_be_changed_and_expire_after_the_retention() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let all = entries(&app, &t, "").await;
    let e = &all[0];
    let id = e["id"].as_str().unwrap();
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
        reqwest::Method::DELETE,
    ] {
        for path in [format!("/api/audit/{id}"), "/api/audit".to_owned()] {
            let r = app
                .send(
                    app.http
                        .request(method.clone(), app.url(&path))
                        .bearer_auth(&t)
                        .json(&json!({"outcome": "成功"})),
                )
                .await;
            assert!(
                r.status == 404 || r.status == 405,
                "{method} {path}: {}",
                r.status
            );
        }
    }
    assert_eq!(entries(&app, &t, "").await[0], *e, "unchanged");
    let days = i64::from(vslc_ports::config::DEFAULT_AUDIT_RETENTION_DAYS);
    let expected = chrono::Utc::now().timestamp() + days * 86_400;
    let expires = e["expiresAt"].as_i64().unwrap();
    assert!((expected - expires).abs() < 120, "{expires} vs {expected}");
    app.stop().await;
}

#[tokio::test]
async fn the_log_pages_newest_first_filters_and_exports() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    for _ in 0..3 {
        app.login("school-admin").await;
    }
    let first = app.get("/api/audit?pageSize=2", Some(&t)).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let items = first.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items[0]["id"].as_str() > items[1]["id"].as_str(),
        "newest first"
    );
    let cursor = first.body["nextCursor"].as_str().unwrap();
    let second = app
        .get(&format!("/api/audit?pageSize=2&cursor={cursor}"), Some(&t))
        .await;
    let more = second.body["items"].as_array().unwrap();
    assert_eq!(more.len(), 2);
    assert!(items[1]["id"].as_str() > more[0]["id"].as_str());
    assert_eq!(entries(&app, &t, "").await.len(), 4);

    let today = chrono::Utc::now()
        .with_timezone(&vslc_ports::clock::cst())
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        entries(&app, &t, &format!("from={today}&to={today}"))
            .await
            .len(),
        4
    );
    assert!(
        entries(&app, &t, "to=2020-01-01").await.is_empty(),
        "nothing that old"
    );
    assert_eq!(
        entries(&app, &t, "kind=登录&userName=school").await.len(),
        4
    );
    assert!(entries(&app, &t, "userName=someone-else").await.is_empty());
    let bad = app.get("/api/audit?from=yesterday", Some(&t)).await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (400, Some("BAD_TIME"))
    );
    let bad = app.get("/api/audit?cursor=nonsense", Some(&t)).await;
    assert_eq!(bad.status, 400);

    let export = app
        .post("/api/audit/export", Some(&t), json!({"kind": "登录"}))
        .await;
    assert_eq!(export.status, 200, "{}", export.body);
    assert_eq!(export.body["rows"], 4);
    let bytes = app
        .http
        .get(export.body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let rows = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0][0], "日志编号");
    assert_eq!(rows[1][3], "登录");
    let exports = actions(&app, &t, "export.audit").await;
    assert_eq!(exports.len(), 1, "the export is itself recorded");
    app.stop().await;
}

#[tokio::test]
async fn failed_rows_links_and_photo_links_are_recorded_when_handed_out() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let file = vslc_api_tests::workbook(&[
        vec!["*编号", "*内容", "日期"],
        vec!["A1", "第一行", "2026-02-30"],
        vec!["A2", "第二行", ""],
    ]);
    let id = app
        .upload_import(&t, "demo-notes", "备注.xlsx", file, false)
        .await;
    let done = app.wait_import(&t, &id).await;
    assert!(done["failedRowsUrl"].is_string(), "{done}");
    let handed = actions(&app, &t, "import.failed_rows").await;
    assert_eq!(handed.len(), 1, "only the answer with the link: {handed:?}");
    assert_eq!(handed[0]["kind"], "下载");
    assert_eq!(handed[0]["targetId"], id.as_str());
    let list = app.get("/api/imports", Some(&t)).await;
    assert_eq!(list.status, 200);
    assert_eq!(actions(&app, &t, "import.failed_rows").await.len(), 2);
    // The import's creation is a change like any other.
    let created = actions(&app, &t, "imports.create").await;
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["targetId"], id.as_str());
    app.stop().await;
}
