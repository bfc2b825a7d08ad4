use vslc_api_tests::spawn_app;

#[tokio::test]
async fn every_area_answers_health_and_the_document_lists_it() {
    let app = spawn_app().await;
    for (area, _) in vslc_api_docs::areas::all() {
        let r = app.get(&format!("{}/health", area.prefix), None).await;
        assert_eq!(r.status, 200, "{}", area.prefix);
        assert_eq!(r.body["area"], area.name);
    }
    let doc = app.get("/api/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.body["openapi"], "3.1.0");
    assert!(doc.body["paths"]["/api/imports/{id}"]["get"].is_object());
    assert_eq!(
        vslc_api_docs::schema_collisions(),
        Vec::<String>::new(),
        "two areas give one schema name different shapes"
    );
    app.stop().await;
}

#[tokio::test]
async fn errors_speak_code_and_chinese_message() {
    let app = spawn_app().await;
    let r = app.get("/api/no-such-area/x", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["code"], "NO_ROUTE");
    assert_eq!(r.body["message"], "接口不存在");
    let r = app.get("/api/imports", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["message"], "请先登录");
    let raw = app
        .http
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{bad")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    assert!(
        raw.headers().contains_key("x-request-id"),
        "every answer carries a request id"
    );
    let body: serde_json::Value = raw.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("请求内容格式错误"),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn sms_outbox_is_listed_in_local_mode() {
    let app = spawn_app().await;
    app.running
        .as_ref()
        .unwrap()
        .state
        .sms
        .send("18512340926", "您的验证码是 123456，5分钟内有效")
        .await
        .unwrap();
    let r = app.get("/api/dev/sms", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body[0]["phone"], "18512340926");
    assert!(r.body[0]["text"].as_str().unwrap().contains("123456"));
    app.stop().await;
}

#[tokio::test]
async fn the_lambda_login_event_signs_in_through_the_auth_router() {
    use tower::ServiceExt;
    let app = spawn_app().await;
    let state = app.running.as_ref().unwrap().state.clone();
    let (router, _) = vslc_audit::router::finish(
        vslc_audit::router::mount(vslc_auth_api::AREA, vslc_auth_api::routes()),
        state,
    );
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../events/apigw-v2-login.json"
    ))
    .unwrap();
    let request = lambda_http::request::from_str(&raw).unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    app.stop().await;
}
