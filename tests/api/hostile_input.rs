//! Requests a form would never send: blank or NUL ids, `#` in an id, values
//! outside a closed set, missing fields, over-size bodies. Each answers 400
//! (or 413) as `{code, message}`, naming the field in Chinese — never 500.

use serde_json::{Value, json};
use vslc_api_tests::{Resp, TestApp, spawn_app};
use vslc_app::seed::exam::DEMO_PLAN_ID;

fn subject_input() -> Value {
    json!({"certificateId": "CERT0101", "level": "初级", "code": "H1", "name": "科目H1",
           "method": "笔试", "durationMinutes": 90, "audience": "所有考生", "fullMark": 100, "passMark": 60})
}

fn window(start: &str, end: &str) -> Value {
    json!({"start": start, "end": end})
}

fn plan_input() -> Value {
    json!({
        "name": "2026年第三次Web前端开发考试",
        "mode": "按证书",
        "certificates": [{"certificateId": "CERT0101", "levels": ["初级"], "feeCents": 10000}],
        "subjects": [],
        "schoolIds": ["10009"],
        "registration": window("2026-04-01 08:00", "2026-04-10 18:00"),
        "scheduling": window("2026-04-11 08:00", "2026-04-20 18:00"),
        "scoreEntry": window("2026-05-20 08:00", "2026-05-30 18:00"),
        "publicity": window("2026-06-01 08:00", "2026-06-07 18:00"),
    })
}

#[track_caller]
fn refused(r: &Resp, message: &str) {
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["code"], "INVALID_FIELD", "{}", r.body);
    assert_eq!(r.body["message"], message, "{}", r.body);
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Resp {
    app.post(path, Some(token), body).await
}

#[tokio::test]
async fn blank_ids_in_bodies_answer_400_naming_the_field() {
    let app = spawn_app().await;
    let org = app.login("org-admin").await;

    let r = post(
        &app,
        "/api/sites/allocations",
        &org,
        json!({"planId": "", "schoolId": "", "certificateId": "", "level": "初级", "siteId": ""}),
    )
    .await;
    // json! sorts the keys: the first blank one is named.
    refused(&r, "字段 certificateId：不能为空");
    let r = post(&app, "/api/sites/allocations", &org,
        json!({"planId": "", "schoolId": "14361", "certificateId": "CERT0101", "level": "初级", "siteId": "10009-X"})).await;
    refused(&r, "字段 planId：不能为空");
    let r = post(&app, "/api/sites/allocations", &org,
        json!({"planId": DEMO_PLAN_ID, "schoolId": "14361", "certificateId": "CERT0101", "level": "初级", "siteId": " "})).await;
    refused(&r, "字段 siteId：不能为空");

    let mut s = subject_input();
    s["certificateId"] = json!("");
    refused(
        &post(&app, "/api/exam/subjects", &org, s).await,
        "字段 certificateId：不能为空",
    );

    let mut p = plan_input();
    p["certificates"][0]["certificateId"] = json!("");
    refused(
        &post(&app, "/api/exam/plans", &org, p).await,
        "字段 certificates[0].certificateId：不能为空",
    );
    let mut p = plan_input();
    p["schoolIds"] = json!(["10009", "\u{0}"]);
    refused(
        &post(&app, "/api/exam/plans", &org, p).await,
        "字段 schoolIds[1]：不能包含控制字符",
    );

    let standard = json!({"certificateId": "", "name": "场地", "level": "初级", "content": "面积", "publishedAt": "2026-01-01"});
    refused(
        &post(&app, "/api/standards/site", &org, standard).await,
        "字段 certificateId：不能为空",
    );

    let school = app.login("school-admin").await;
    refused(
        &post(
            &app,
            "/api/sites/batch-delete",
            &school,
            json!({"ids": ["10009-X", ""]}),
        )
        .await,
        "字段 ids[1]：不能为空",
    );
    app.stop().await;
}

#[tokio::test]
async fn nul_or_hash_in_a_path_id_answers_400_naming_the_parameter() {
    let app = spawn_app().await;
    let school = app.login("school-admin").await;
    let r = app.get("/api/candidates/%00", Some(&school)).await;
    refused(&r, "路径参数 no：不能包含控制字符");
    // `#` would reach into another record's key (`SITE#…#…`).
    let r = app.get("/api/sites/10009%23X", Some(&school)).await;
    refused(&r, "路径参数 id：不能包含“#”");
    let r = app.get("/api/sites/%20", Some(&school)).await;
    refused(&r, "路径参数 id：不能为空");
    // A well-formed id that names nothing is still 404.
    let r = app.get("/api/sites/10009-NOPE", Some(&school)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn query_ids_are_checked_and_blank_filters_still_mean_any() {
    let app = spawn_app().await;
    let school = app.login("school-admin").await;
    let r = app
        .get(
            "/api/sites/standards?certificateId=&level=初级",
            Some(&school),
        )
        .await;
    refused(&r, "查询参数 certificateId：不能为空");
    let r = app
        .get("/api/sites/standards?level=初级", Some(&school))
        .await;
    refused(&r, "缺少必填查询参数 certificateId");
    let r = app
        .get("/api/sites/allocations?planId=%00", Some(&school))
        .await;
    refused(&r, "查询参数 planId：不能包含控制字符");
    let r = app
        .get(
            "/api/sites/allocations?planId=&certificateId=",
            Some(&school),
        )
        .await;
    assert_eq!(r.status, 200, "blank filters mean any: {}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn body_errors_speak_chinese_with_the_field_and_allowed_values() {
    let app = spawn_app().await;
    let org = app.login("org-admin").await;

    let mut s = subject_input();
    s["level"] = json!("特级");
    refused(
        &post(&app, "/api/exam/subjects", &org, s).await,
        "字段 level 的值“特级”无效，可选值：初级、中级、高级",
    );
    let mut s = subject_input();
    s.as_object_mut().unwrap().remove("certificateId");
    refused(
        &post(&app, "/api/exam/subjects", &org, s).await,
        "缺少必填字段 certificateId",
    );
    let mut s = subject_input();
    s["durationMinutes"] = json!("九十");
    refused(
        &post(&app, "/api/exam/subjects", &org, s).await,
        "字段 durationMinutes 的类型错误（应为整数）",
    );

    let raw = app
        .http
        .post(app.url("/api/exam/subjects"))
        .bearer_auth(&org)
        .header("content-type", "application/json")
        .body("{\"certificateId\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["code"], "BAD_REQUEST");
    assert_eq!(body["message"], "请求内容格式错误：不是有效的 JSON");
    app.stop().await;
}

#[tokio::test]
async fn an_over_size_body_answers_413_as_json() {
    let app = spawn_app().await;
    let big = json!({"account": "x".repeat(3 * 1024 * 1024), "password": "x"});
    let raw = app
        .http
        .post(app.url("/api/auth/login"))
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 413);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["code"], "PAYLOAD_TOO_LARGE");
    assert_eq!(body["message"], "请求内容过大");
    app.stop().await;
}
