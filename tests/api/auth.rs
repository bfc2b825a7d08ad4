use serde_json::json;
use vslc_api_tests::spawn_app;

#[tokio::test]
async fn demo_accounts_log_in_and_out() {
    let app = spawn_app().await;
    for account in [
        "school-admin",
        "school2-admin",
        "org-admin",
        "province-admin",
    ] {
        let token = app.login(account).await;
        let me = app.get("/api/auth/me", Some(&token)).await;
        assert_eq!(me.status, 200);
        assert_eq!(me.body["account"], account);
    }
    let token = app.login("school-admin").await;
    let me = app.get("/api/auth/me", Some(&token)).await;
    assert_eq!(me.body["tenant"], json!({"kind": "school", "id": "10009"}));
    assert_eq!(me.body["tenantName"], "北方工业大学");
    let out = app
        .http
        .post(app.url("/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 204);
    let after = app.get("/api/auth/me", Some(&token)).await;
    assert_eq!(after.status, 401, "a logged-out token stops working");
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_and_unknown_accounts_answer_alike() {
    let app = spawn_app().await;
    let wrong = app
        .post(
            "/api/auth/login",
            None,
            json!({"account": "school-admin", "password": "nope"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/auth/login",
            None,
            json!({"account": "ghost", "password": "nope"}),
        )
        .await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(
        wrong.body["message"],
        "账号或密码错误（连续输错5次将锁定账号15分钟）"
    );
    let empty = app
        .post(
            "/api/auth/login",
            None,
            json!({"account": "", "password": ""}),
        )
        .await;
    assert_eq!(empty.status, 400);
    let forged = app.get("/api/auth/me", Some("forged-token")).await;
    assert_eq!(forged.status, 401);
    app.stop().await;
}
