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
    let attempt = async |account: &str, password: &str| {
        app.post(
            "/api/auth/login",
            None,
            json!({"account": account, "password": password}),
        )
        .await
    };
    let wrong = attempt("school-admin", "nope").await;
    let unknown = attempt("ghost", "nope").await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body);
    // A name with a control character (found by Schemathesis: a NUL made
    // the embedded store refuse the key, a 500) is nobody's name.
    let control = attempt("school\u{0}admin", "nope").await;
    assert_eq!((control.status, &control.body), (401, &unknown.body));
    assert_eq!(
        wrong.body["message"],
        "账号或密码错误（连续输错5次将暂停本机登录15分钟）"
    );
    let empty = attempt("", "").await;
    assert_eq!(empty.status, 400);
    let forged = app.get("/api/auth/me", Some("forged-token")).await;
    assert_eq!(forged.status, 401);
    app.stop().await;
}

const PASSWORD: &str = vslc_app::seed::DEMO_PASSWORD;
const TOO_MANY: &str = "登录失败次数过多，请15分钟后再试";

/// Five wrong passwords, then the right one (for an unknown account: any).
async fn five_wrong_then_right(
    app: &vslc_api_tests::TestApp,
    from: [u8; 4],
    account: &str,
) -> Vec<(u16, serde_json::Value)> {
    let mut answers = Vec::new();
    for password in [
        "wrong-1", "wrong-2", "wrong-3", "wrong-4", "wrong-5", PASSWORD,
    ] {
        let r = app.login_from(from, account, password).await;
        answers.push((r.status, r.body));
    }
    answers
}

#[tokio::test]
async fn failures_stop_that_address_only_and_unknown_accounts_alike() {
    let app = spawn_app().await;
    let known = five_wrong_then_right(&app, [127, 0, 0, 3], "school-admin").await;
    let unknown = five_wrong_then_right(&app, [127, 0, 0, 4], "ghost").await;
    let statuses: Vec<u16> = known.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
    assert_eq!(
        known[4].1,
        json!({"code": "TOO_MANY_ATTEMPTS", "message": TOO_MANY}),
        "the fifth failure stops the address"
    );
    assert_eq!(known[5].1, known[4].1, "even the right password waits");
    assert_eq!(known, unknown, "an unknown account answers exactly alike");

    // The owner, elsewhere, is not locked out by someone else's guessing.
    let owner = app
        .login_from([127, 0, 0, 2], "school-admin", PASSWORD)
        .await;
    assert_eq!(owner.status, 200, "{}", owner.body);
    // Another account from the stopped address is not stopped either.
    let other = app.login_from([127, 0, 0, 3], "org-admin", PASSWORD).await;
    assert_eq!(other.status, 200, "{}", other.body);
    app.stop().await;
}

#[tokio::test]
async fn a_success_starts_the_count_of_its_address_afresh() {
    let app = spawn_app().await;
    let from = [127, 0, 0, 5];
    for _ in 0..2 {
        for _ in 0..4 {
            let r = app.login_from(from, "org-admin", "wrong-password").await;
            assert_eq!(r.status, 401);
        }
        let r = app.login_from(from, "org-admin", PASSWORD).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    app.stop().await;
}

#[tokio::test]
async fn unknown_accounts_cost_an_argon2_verification_like_known_ones() {
    use vslc_accounts::login::{LoginRequest, counting_verifications, login};
    use vslc_http::ClientAddr;
    let app = spawn_app().await;
    let state = app.running.as_ref().unwrap().state.clone();
    let attempt = |account: &str, from: &str| {
        let req = LoginRequest {
            account: account.to_owned(),
            password: "not-the-password".to_owned(),
        };
        let (state, addr) = (state.clone(), ClientAddr::parse(from));
        async move {
            let (result, verified) = counting_verifications(login(&state, req, &addr)).await;
            let e = vslc_http::ApiError::from(result.expect_err("refused"));
            (
                (e.status.as_u16(), e.code, e.message.into_owned()),
                verified,
            )
        }
    };
    let known = attempt("school-admin", "198.51.100.1").await;
    let unknown = attempt("ghost", "198.51.100.2").await;
    assert_eq!(known.1, 1, "a known account's password is verified once");
    assert_eq!(
        unknown.1, 1,
        "so is an unknown account's, against the dummy hash"
    );
    assert_eq!(known.0, unknown.0);
    assert_eq!(known.0.0, 401);
    for _ in 0..4 {
        attempt("ghost", "198.51.100.2").await;
    }
    let stopped = attempt("ghost", "198.51.100.2").await;
    assert_eq!(
        (stopped.0.0, stopped.0.1, stopped.1),
        (429, "TOO_MANY_ATTEMPTS", 0),
        "a stopped address costs no verification"
    );
    app.stop().await;
}

#[tokio::test]
async fn parallel_guesses_do_not_slip_past_the_limit() {
    let app = spawn_app().await;
    let from = std::net::IpAddr::from([127, 0, 0, 6]);
    let client = reqwest::Client::builder()
        .local_address(from)
        .build()
        .unwrap();
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..12 {
        let request = client
            .post(app.url("/api/auth/login"))
            .json(&json!({"account": "province-admin", "password": format!("guess-{i}")}));
        guesses.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = guesses.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        4,
        "four wrong, then the address is stopped: {statuses:?}"
    );
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429));
    let r = app
        .login_from([127, 0, 0, 6], "province-admin", PASSWORD)
        .await;
    assert_eq!(r.status, 429);
    app.stop().await;
}

#[tokio::test]
async fn an_account_under_attack_gives_each_address_one_try_and_its_owner_a_way_in() {
    let app = spawn_app().await;
    // Ten addresses, five failures each: the account is under attack.
    for n in 10..20 {
        for i in 0..5 {
            let r = app
                .login_from([127, 0, 0, n], "school2-admin", &format!("guess-{i}"))
                .await;
            assert_eq!(r.status, if i < 4 { 401 } else { 429 }, "{}", r.body);
        }
    }
    let r = app
        .login_from([127, 0, 0, 20], "school2-admin", "guess")
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (429, Some("TOO_MANY_ATTEMPTS")),
        "one failure stops a new address"
    );
    let owner = app
        .login_from([127, 0, 0, 21], "school2-admin", PASSWORD)
        .await;
    assert_eq!(owner.status, 200, "the owner still gets in: {}", owner.body);
    app.stop().await;
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_stopped() {
    let app = spawn_app().await;
    let from = [127, 0, 0, 30];
    for i in 1..=30 {
        let r = app
            .login_from(from, &format!("someone-{i}"), "guess-password")
            .await;
        assert_eq!(r.status, if i < 30 { 401 } else { 429 }, "attempt {i}");
    }
    let r = app.login_from(from, "school-admin", PASSWORD).await;
    assert_eq!(r.status, 429, "the address is stopped for every account");
    let r = app
        .login_from([127, 0, 0, 31], "school-admin", PASSWORD)
        .await;
    assert_eq!(r.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn on_lambda_the_api_gateway_source_ip_is_the_client_address() {
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
    let event: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let attempt = |source_ip: &str, password: &str| {
        let mut event = event.clone();
        event["requestContext"]["http"]["sourceIp"] = json!(source_ip);
        event["body"] = json!(json!({"account": "school-admin", "password": password}).to_string());
        let request = lambda_http::request::from_str(&event.to_string()).unwrap();
        let router = router.clone();
        async move { router.oneshot(request).await.unwrap().status().as_u16() }
    };
    for i in 0..4 {
        assert_eq!(attempt("203.0.113.7", &format!("guess-{i}")).await, 401);
    }
    assert_eq!(attempt("203.0.113.7", "guess-5").await, 429);
    assert_eq!(attempt("203.0.113.7", PASSWORD).await, 429);
    assert_eq!(attempt("198.51.100.20", PASSWORD).await, 200);
    app.stop().await;
}
