// The three seed flows against the emulator: sign-in by code, linking an app, backup codes.
#include "emulator.hpp"
#include "helpers.hpp"

#include <docspace_auth.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

namespace docspace_test {
namespace {

using docspace::AppSetup;
using docspace::AppValidation;
using docspace::BackupCode;
using docspace::Challenge;
using docspace::Client;
using docspace::CodeRequired;
using docspace::ConfirmType;
using docspace::ErrorKind;
using docspace::LoginOutcome;
using docspace::Session;
using docspace::SetupRequired;

class SeedFlows : public EmulatorTest {};

// Flow 1: a user with a linked app signs in with a TOTP code computed from the secret.
TEST_F(SeedFlows, LoginByCodeWithTotpFromLinkedSecret) {
    const User& linked = user("linked");
    ASSERT_TRUE(linked.totp_secret);
    const Client client(url());

    LoginOutcome outcome = client.login(linked.email, linked.password);
    const auto* required = std::get_if<CodeRequired>(&outcome);
    ASSERT_NE(required, nullptr) << "outcome index " << outcome.index();
    EXPECT_EQ(required->challenge.confirm_type(), ConfirmType::TfaAuth);
    EXPECT_EQ(required->challenge.user_id(), linked.id);
    EXPECT_EQ(required->challenge.user_name(), linked.email);
    EXPECT_NE(required->challenge.confirm_url().find("TfaAuth"), std::string::npos);
    EXPECT_FALSE(required->challenge.secret()) << "a linked user's challenge carries no secret";

    const Session session =
        client.login_with_code(linked.email, linked.password, docspace::totp(*linked.totp_secret));
    EXPECT_FALSE(session.token().empty());
    EXPECT_TRUE(client.is_authenticated(session));

    client.logout(session);
    EXPECT_FALSE(client.is_authenticated(session));
}

// The same sign-in finished through the challenge's confirm context instead.
TEST_F(SeedFlows, CodeRequiredChallengeValidatesWithoutLinking) {
    const User& linked = user("linked");
    const Client client(url());
    LoginOutcome outcome = client.login(linked.email, linked.password);
    ASSERT_TRUE(std::holds_alternative<CodeRequired>(outcome));

    const AppValidation validation =
        client.validate_app(std::get<CodeRequired>(outcome).challenge, docspace::totp(*linked.totp_secret));
    EXPECT_FALSE(validation.linked_now);
    EXPECT_TRUE(client.is_authenticated(validation.session));
}

// Flow 2a: a user without an app links one with setup_app + validate_app.
TEST_F(SeedFlows, LinkAppWithSetupAndValidate) {
    const User& setup_user = user("not_linked");
    const Client client(url());

    LoginOutcome outcome = client.login(setup_user.email, setup_user.password);
    auto* required = std::get_if<SetupRequired>(&outcome);
    ASSERT_NE(required, nullptr) << "outcome index " << outcome.index();
    const Challenge& challenge = required->challenge;
    EXPECT_EQ(challenge.confirm_type(), ConfirmType::TfaActivation);
    EXPECT_EQ(challenge.user_id(), setup_user.id);
    const std::optional<std::string> secret = challenge.secret();
    ASSERT_TRUE(secret);
    ASSERT_TRUE(challenge.otpauth_uri());
    EXPECT_EQ(challenge.otpauth_uri()->rfind("otpauth://totp/", 0), 0U);

    const AppSetup setup = client.setup_app(challenge);
    EXPECT_EQ(setup.account(), setup_user.email);
    EXPECT_EQ(setup.manual_entry_key(), *secret);
    const std::vector<std::uint8_t> png = setup.qr_png();
    const std::vector<std::uint8_t> png_signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    ASSERT_GT(png.size(), png_signature.size());
    EXPECT_TRUE(std::equal(png_signature.begin(), png_signature.end(), png.begin()));
    const docspace::OtpauthUri uri = docspace::Totp::from_uri(setup.otpauth_uri());
    EXPECT_EQ(uri.account, setup_user.email);
    EXPECT_EQ(uri.totp.code(), docspace::totp(*secret));

    const AppValidation validation = client.validate_app(challenge, docspace::totp(*secret));
    EXPECT_TRUE(validation.linked_now);
    EXPECT_TRUE(client.is_authenticated(validation.session));
    EXPECT_FALSE(client.backup_codes(validation.session).empty());

    // Linked now: the next sign-in wants a code from the same secret.
    LoginOutcome again = client.login(setup_user.email, setup_user.password);
    EXPECT_TRUE(std::holds_alternative<CodeRequired>(again));
    const Session session = client.login_with_code(setup_user.email, setup_user.password, docspace::totp(*secret));
    EXPECT_TRUE(client.is_authenticated(session));
}

// Flow 2b: the first accepted code of login_with_code links the app as well.
TEST_F(SeedFlows, LinkAppWithLoginWithCode) {
    const User& setup_user = user("not_linked");
    const Client client(url());

    LoginOutcome outcome = client.login(setup_user.email, setup_user.password);
    const auto* required = std::get_if<SetupRequired>(&outcome);
    ASSERT_NE(required, nullptr);
    const std::optional<std::string> secret = required->challenge.secret();
    ASSERT_TRUE(secret);

    const Session session = client.login_with_code(setup_user.email, setup_user.password, docspace::totp(*secret));
    EXPECT_TRUE(client.is_authenticated(session));
    EXPECT_FALSE(client.backup_codes(session).empty());
    LoginOutcome again = client.login(setup_user.email, setup_user.password);
    EXPECT_TRUE(std::holds_alternative<CodeRequired>(again));
}

// Flow 3: backup codes are read and regenerated; old codes die, new ones work exactly once.
TEST_F(SeedFlows, BackupCodesReadAndRegenerate) {
    const User& linked = user("linked");
    const Client client(url());
    const Session session = client.login_with_code(linked.email, linked.password, docspace::totp(*linked.totp_secret));

    const std::vector<BackupCode> old_codes = client.backup_codes(session);
    ASSERT_FALSE(old_codes.empty());
    for (const BackupCode& code : old_codes) {
        EXPECT_FALSE(code.used);
        EXPECT_FALSE(code.code.empty());
    }

    const std::vector<BackupCode> new_codes = client.regenerate_backup_codes(session);
    ASSERT_EQ(new_codes.size(), old_codes.size());
    for (const BackupCode& code : new_codes) {
        EXPECT_FALSE(code.used);
        EXPECT_TRUE(std::none_of(old_codes.begin(), old_codes.end(),
                                 [&](const BackupCode& old) { return old.code == code.code; }));
    }

    EXPECT_EQ(kind_of([&] { (void)client.login_with_code(linked.email, linked.password, old_codes[0].code); }),
              ErrorKind::InvalidCode);

    const Session by_backup_code = client.login_with_code(linked.email, linked.password, new_codes[0].code);
    EXPECT_TRUE(client.is_authenticated(by_backup_code));
    EXPECT_EQ(kind_of([&] { (void)client.login_with_code(linked.email, linked.password, new_codes[0].code); }),
              ErrorKind::InvalidCode);

    const std::vector<BackupCode> after = client.backup_codes(session);
    ASSERT_EQ(after.size(), new_codes.size());
    EXPECT_EQ(after[0].code, new_codes[0].code);
    EXPECT_TRUE(after[0].used);
    EXPECT_EQ(std::count_if(after.begin(), after.end(), [](const BackupCode& code) { return code.used; }), 1);
}

}  // namespace
}  // namespace docspace_test
