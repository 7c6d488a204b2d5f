// The rest of the client API: sessions, API keys, SMS, policy, confirm context, app reset,
// options.
#include "emulator.hpp"
#include "helpers.hpp"

#include <docspace_auth.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace docspace_test {
namespace {

using docspace::Client;
using docspace::ConfirmType;
using docspace::ErrorKind;
using docspace::Session;
using docspace::TfaMethod;
using namespace std::chrono_literals;

class Account : public EmulatorTest {
protected:
    /// Signs in a user to whom no second factor applies.
    static Session sign_in(const Client& client, const User& who) {
        docspace::LoginOutcome outcome = client.login(who.email, who.password);
        auto* authenticated = std::get_if<docspace::Authenticated>(&outcome);
        if (authenticated == nullptr) {
            throw std::runtime_error(who.email + " did not sign in without a second factor");
        }
        return std::move(authenticated->session);
    }

    /// Signs in the linked user with a TOTP code.
    static Session sign_in_linked(const Client& client) {
        const User& linked = user("linked");
        return client.login_with_code(linked.email, linked.password, docspace::totp(*linked.totp_secret));
    }
};

TEST_F(Account, PasswordOnlyLoginIsAuthenticated) {
    const User& plain = user("no_tfa");
    const Client client(url());
    docspace::LoginOutcome outcome = client.login(plain.email, plain.password);
    auto* authenticated = std::get_if<docspace::Authenticated>(&outcome);
    ASSERT_NE(authenticated, nullptr) << "outcome index " << outcome.index();
    const Session& session = authenticated->session;
    EXPECT_TRUE(client.is_authenticated(session));
    EXPECT_FALSE(session.token().empty());
    EXPECT_TRUE(session.expires());

    // The token alone makes an equivalent session (as when stored between runs).
    const Session restored = Session::from_token(session.token());
    EXPECT_TRUE(client.is_authenticated(restored));
    EXPECT_FALSE(restored.user_id());
    client.logout(restored);
    EXPECT_FALSE(client.is_authenticated(session));
}

TEST_F(Account, VisitHandlesEveryOutcome) {
    const Client client(url());
    const auto describe = [&](const User& who) {
        docspace::LoginOutcome outcome = client.login(who.email, who.password);
        return std::visit(
            [](const auto& value) -> std::string {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, docspace::Authenticated>) {
                    return "authenticated";
                } else if constexpr (std::is_same_v<T, docspace::CodeRequired>) {
                    return "code";
                } else if constexpr (std::is_same_v<T, docspace::SetupRequired>) {
                    return "setup";
                } else {
                    return "sms";
                }
            },
            outcome);
    };
    EXPECT_EQ(describe(user("admin")), "authenticated");
    EXPECT_EQ(describe(user("no_tfa")), "authenticated");
    EXPECT_EQ(describe(user("linked")), "code");
    EXPECT_EQ(describe(user("not_linked")), "setup");
    EXPECT_EQ(describe(user("sms")), "sms");
}

TEST_F(Account, SmsLoginCarriesThePhoneHint) {
    const User& sms = user("sms");
    const Client client(url());
    docspace::LoginOutcome outcome = client.login(sms.email, sms.password);
    const auto* required = std::get_if<docspace::SmsRequired>(&outcome);
    ASSERT_NE(required, nullptr);
    ASSERT_TRUE(required->phone_noise);
    EXPECT_NE(required->phone_noise->find('*'), std::string::npos) << *required->phone_noise;
}

TEST_F(Account, SmsLoginCarriesTheConfirmUrl) {
    const User& sms = user("sms");
    const Client client(url());
    docspace::LoginOutcome outcome = client.login(sms.email, sms.password);
    const auto* required = std::get_if<docspace::SmsRequired>(&outcome);
    ASSERT_NE(required, nullptr) << "outcome index " << outcome.index();
    ASSERT_TRUE(required->confirm_url);
    const std::string& confirm_url = *required->confirm_url;
    EXPECT_EQ(confirm_url.rfind(url() + "/confirm/PhoneAuth?", 0), 0U) << confirm_url;
    EXPECT_NE(confirm_url.find("type=PhoneAuth"), std::string::npos) << confirm_url;
    EXPECT_NE(confirm_url.find("uid=" + sms.id), std::string::npos) << confirm_url;
    // The other fields are still read from their own getters.
    EXPECT_EQ(required->phone_noise, std::optional<std::string>("+1***0123"));
    ASSERT_TRUE(required->expires);
    EXPECT_NE(*required->expires, confirm_url);
}

TEST_F(Account, ApiKeySessions) {
    const User& plain = user("no_tfa");
    const Client client(url());
    const Session key = Session::from_api_key(plain.api_key);
    EXPECT_EQ(key.token(), plain.api_key);
    EXPECT_TRUE(key.is_api_key());
    EXPECT_FALSE(Session::from_token("a-login-token").is_api_key());
    EXPECT_TRUE(client.is_authenticated(key));
    EXPECT_EQ(client.tfa_policy(key).enabled_method(), TfaMethod::App);
    EXPECT_EQ(kind_of([&] { client.logout(key); }), ErrorKind::InvalidArgument) << "keys are revoked elsewhere";
    EXPECT_FALSE(client.is_authenticated(Session::from_api_key("sk-0000000000000000")));
}

TEST_F(Account, PolicyReadAndSetByTheOwner) {
    const Client client(url());
    Session admin = sign_in(client, user("admin"));
    const docspace::Policy policy = client.tfa_policy(admin);
    EXPECT_EQ(policy.enabled_method(), TfaMethod::App);
    EXPECT_TRUE(policy.available(TfaMethod::App));
    EXPECT_TRUE(policy.enabled(TfaMethod::App));
    EXPECT_FALSE(policy.enabled(TfaMethod::Sms)) << "the portal does not list SMS";
    EXPECT_EQ(policy.title(TfaMethod::App), std::optional<std::string>("By authenticator app"));
    EXPECT_FALSE(policy.title(TfaMethod::Sms));
    EXPECT_EQ(kind_of([&] { (void)policy.title(TfaMethod::None); }), ErrorKind::InvalidArgument);
    EXPECT_TRUE(policy.trusted_ips(TfaMethod::App).empty());

    docspace::PolicyUpdate update;
    update.method = TfaMethod::App;
    update.trusted_ips = {"10.0.0.1", "192.168.0.0/24"};
    update.mandatory_users = {user("no_tfa").id};
    EXPECT_TRUE(client.set_tfa_policy(admin, update));
    // Switching a method on signs every user out, the caller included.
    EXPECT_FALSE(client.is_authenticated(admin));
    admin = sign_in(client, user("admin"));
    const docspace::Policy changed = client.tfa_policy(admin);
    EXPECT_EQ(changed.trusted_ips(TfaMethod::App), update.trusted_ips);
    EXPECT_EQ(changed.mandatory_users(TfaMethod::App), update.mandatory_users);
    EXPECT_TRUE(changed.mandatory_groups(TfaMethod::App).empty());

    EXPECT_FALSE(client.set_tfa_policy(admin, docspace::PolicyUpdate{}));
    const docspace::Policy off = client.tfa_policy(admin);
    EXPECT_EQ(off.enabled_method(), TfaMethod::None);
    EXPECT_FALSE(off.enabled(TfaMethod::App));
    docspace::LoginOutcome linked = client.login(user("linked").email, user("linked").password);
    EXPECT_TRUE(std::holds_alternative<docspace::Authenticated>(linked)) << "2FA is off now";
}

TEST_F(Account, PolicyChangesNeedAnAdmin) {
    const Client client(url());
    const Session plain = sign_in(client, user("no_tfa"));
    docspace::PolicyUpdate update;
    update.method = TfaMethod::App;
    EXPECT_EQ(kind_of([&] { client.set_tfa_policy(plain, update); }), ErrorKind::AccessDenied);

    const Session admin = sign_in(client, user("admin"));
    update.trusted_ips = {"not an address"};
    EXPECT_EQ(kind_of([&] { client.set_tfa_policy(admin, update); }), ErrorKind::InvalidArgument);
}

TEST_F(Account, ConfirmContext) {
    const Client client(url());
    const std::optional<docspace::Challenge> linked = client.confirm_context(sign_in_linked(client));
    ASSERT_TRUE(linked);
    EXPECT_EQ(linked->confirm_type(), ConfirmType::TfaAuth);
    EXPECT_EQ(linked->user_id(), user("linked").id);
    EXPECT_EQ(linked->user_name(), "");

    EXPECT_FALSE(client.confirm_context(sign_in(client, user("no_tfa")))) << "2FA does not apply";
}

TEST_F(Account, ResetOwnAppThenLinkAnew) {
    const User& linked = user("linked");
    const Client client(url());
    const Session session = sign_in_linked(client);
    docspace::AppReset reset = client.reset_app(session, linked.id);
    ASSERT_TRUE(reset.session);
    ASSERT_TRUE(reset.challenge);
    EXPECT_FALSE(client.is_authenticated(session)) << "a self-reset signs every session out";
    EXPECT_TRUE(client.is_authenticated(*reset.session));
    EXPECT_EQ(reset.challenge->confirm_type(), ConfirmType::TfaActivation);

    const docspace::AppSetup setup = client.setup_app(*reset.challenge);
    const std::string secret = setup.manual_entry_key();
    const docspace::AppValidation validation = client.validate_app(*reset.challenge, docspace::totp(secret));
    EXPECT_TRUE(validation.linked_now);
    const Session again = client.login_with_code(linked.email, linked.password, docspace::totp(secret));
    EXPECT_TRUE(client.is_authenticated(again));
}

TEST_F(Account, OwnerResetsAnotherUsersApp) {
    const User& linked = user("linked");
    const Client client(url());
    const Session owner = sign_in(client, user("admin"));
    const docspace::AppReset reset = client.reset_app(owner, linked.id);
    EXPECT_FALSE(reset.session);
    EXPECT_FALSE(reset.challenge);
    docspace::LoginOutcome outcome = client.login(linked.email, linked.password);
    EXPECT_TRUE(std::holds_alternative<docspace::SetupRequired>(outcome));

    EXPECT_EQ(kind_of([&] { (void)client.reset_app(owner, linked.id); }), ErrorKind::TfaNotAvailable);
    EXPECT_EQ(kind_of([&] { (void)client.reset_app(owner, "not-a-guid"); }), ErrorKind::InvalidArgument);
}

TEST_F(Account, OptionsAreApplied) {
    docspace::Client::Options options;
    options.timeout = 10s;
    options.connect_timeout = 5s;
    options.user_agent = "docspace-cpp-tests/1.0";
    options.no_proxy = true;
    options.max_response_bytes = 1 << 20;
    const Client client(url(), options);
    EXPECT_EQ(client.base_url(), url() + "/");
    EXPECT_TRUE(client.is_authenticated(sign_in(client, user("no_tfa"))));
}

}  // namespace
}  // namespace docspace_test
