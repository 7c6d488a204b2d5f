// TOTP codes, verification and otpauth URIs (no network), and the version.
#include "helpers.hpp"

#include <docspace_auth.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace docspace_test {
namespace {

using docspace::ErrorKind;
using docspace::Totp;
using docspace::TotpAlgorithm;
using namespace std::chrono_literals;

/// The DocSpace worked example's secret (the emulator's linked user).
const std::string kDocSpaceSecret = "LJVTCTSWGJYEOYSV";

/// RFC 6238 appendix B seeds, base32: "12345678901234567890" repeated to 20, 32 and 64 bytes.
const std::string kRfcSha1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const std::string kRfcSha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
const std::string kRfcSha512 =
    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";

docspace::Clock::time_point at(std::int64_t unix_seconds) {
    return docspace::Clock::time_point(std::chrono::seconds(unix_seconds));
}

TEST(Totp, DocSpaceCodeAtAKnownTime) {
    EXPECT_EQ(docspace::totp(kDocSpaceSecret, at(1767225600)), "157287");
    EXPECT_EQ(Totp(kDocSpaceSecret).code(at(1767225600)), "157287");
    EXPECT_EQ(docspace::totp("ljvt ctsw gjye oysv", at(1767225600)), "157287") << "lenient base32";
}

TEST(Totp, Rfc6238Vectors) {
    const Totp sha1(kRfcSha1, TotpAlgorithm::Sha1, 8);
    const Totp sha256(kRfcSha256, TotpAlgorithm::Sha256, 8);
    const Totp sha512(kRfcSha512, TotpAlgorithm::Sha512, 8);
    EXPECT_EQ(sha1.code(at(59)), "94287082");
    EXPECT_EQ(sha256.code(at(59)), "46119246");
    EXPECT_EQ(sha512.code(at(59)), "90693936");
    EXPECT_EQ(sha1.code(at(1111111109)), "07081804");
    EXPECT_EQ(sha256.code(at(1111111109)), "68084774");
    EXPECT_EQ(sha512.code(at(1111111109)), "25091201");
    EXPECT_EQ(sha1.code(at(2000000000)), "69279037");
}

TEST(Totp, NowMatchesWithinOneStep) {
    const std::string code = docspace::totp(kDocSpaceSecret);
    ASSERT_EQ(code.size(), 6U);
    const std::optional<int> offset = docspace::verify_totp(kDocSpaceSecret, code);
    ASSERT_TRUE(offset);
    EXPECT_LE(*offset, 0);
    EXPECT_GE(*offset, -1);
}

TEST(Totp, VerifyReportsTheStepOffset) {
    const auto now = at(1767225600);
    EXPECT_EQ(docspace::verify_totp(kDocSpaceSecret, "157287", now), 0);
    EXPECT_EQ(docspace::verify_totp(kDocSpaceSecret, docspace::totp(kDocSpaceSecret, now - 30s), now), -1);
    EXPECT_EQ(docspace::verify_totp(kDocSpaceSecret, docspace::totp(kDocSpaceSecret, now + 30s), now), 1);
    EXPECT_FALSE(docspace::verify_totp(kDocSpaceSecret, docspace::totp(kDocSpaceSecret, now + 90s), now));
    EXPECT_EQ(docspace::verify_totp(kDocSpaceSecret, docspace::totp(kDocSpaceSecret, now + 90s), now, 3), 3);
    EXPECT_FALSE(docspace::verify_totp(kDocSpaceSecret, docspace::totp(kDocSpaceSecret, now - 30s), now, 0));
    EXPECT_FALSE(docspace::verify_totp(kDocSpaceSecret, "12345", now)) << "wrong length";
    EXPECT_FALSE(docspace::verify_totp(kDocSpaceSecret, "abcdef", now)) << "not digits";

    const Totp totp(kDocSpaceSecret);
    EXPECT_EQ(totp.check("157287", now), 0);
    EXPECT_EQ(totp.check(totp.code(now - 30s), now), -1);
    EXPECT_FALSE(totp.check(totp.code(now - 30s), now, 0));
}

TEST(Totp, SecondsRemaining) {
    const Totp totp(kDocSpaceSecret);
    EXPECT_EQ(totp.seconds_remaining(at(1767225600)), 30s);
    EXPECT_EQ(totp.seconds_remaining(at(1767225629)), 1s);
    const std::chrono::seconds now = totp.seconds_remaining();
    EXPECT_GE(now, 1s);
    EXPECT_LE(now, 30s);
    EXPECT_EQ(Totp(kDocSpaceSecret, TotpAlgorithm::Sha1, 6, 60s).seconds_remaining(at(1767225600)), 60s);
}

TEST(Totp, SecondsRemainingWithoutASecret) {
    EXPECT_EQ(docspace::totp_seconds_remaining(at(59), 30s), 1s);
    EXPECT_EQ(docspace::totp_seconds_remaining(at(60), 30s), 30s);
    EXPECT_EQ(docspace::totp_seconds_remaining(at(59)), 1s) << "DocSpace's 30 s by default";
    EXPECT_EQ(docspace::totp_seconds_remaining(at(0)), 30s);
    EXPECT_EQ(docspace::totp_seconds_remaining(at(1767225600), 60s), 60s);
    EXPECT_EQ(docspace::totp_seconds_remaining(at(1767225601), 60s), 59s);
    EXPECT_EQ(docspace::totp_seconds_remaining(at(0), 3600s), 3600s);
    EXPECT_EQ(docspace::totp_seconds_remaining(at(59), 1s), 1s);
    const std::chrono::seconds now = docspace::totp_seconds_remaining();
    EXPECT_GE(now, 1s);
    EXPECT_LE(now, 30s);
    // The same count as a generator's.
    const Totp minute(kDocSpaceSecret, TotpAlgorithm::Sha1, 6, 60s);
    for (const std::int64_t unix_seconds : {1767225600, 1767225617, 1767225659}) {
        EXPECT_EQ(docspace::totp_seconds_remaining(at(unix_seconds), 60s), minute.seconds_remaining(at(unix_seconds)))
            << unix_seconds;
    }
}

TEST(Totp, SecondsRemainingWithoutASecretRefusesUnusableArguments) {
    // Refused by the library itself, with its message.
    for (const std::chrono::seconds period : {0s, 3601s}) {
        const std::optional<docspace::Error> error =
            error_of([&] { (void)docspace::totp_seconds_remaining(at(59), period); });
        ASSERT_TRUE(error) << period.count();
        EXPECT_EQ(error->kind(), ErrorKind::InvalidArgument) << period.count();
        EXPECT_NE(std::string(error->what()).find("between 1 and 3600"), std::string::npos) << error->what();
    }
    const std::optional<docspace::Error> before_1970 =
        error_of([] { (void)docspace::totp_seconds_remaining(at(-1), 30s); });
    ASSERT_TRUE(before_1970);
    EXPECT_EQ(before_1970->kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(before_1970->what()).find("negative"), std::string::npos) << before_1970->what();
    // Periods C cannot even represent.
    EXPECT_EQ(kind_of([] { (void)docspace::totp_seconds_remaining(at(59), -30s); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { (void)docspace::totp_seconds_remaining(at(59), std::chrono::hours(24 * 365 * 200)); }),
              ErrorKind::InvalidArgument);
}

TEST(Totp, GettersReportTheParameters) {
    const Totp built(kDocSpaceSecret, TotpAlgorithm::Sha256, 8, 60s);
    EXPECT_EQ(built.algorithm(), TotpAlgorithm::Sha256);
    EXPECT_EQ(built.digits(), 8U);
    EXPECT_EQ(built.period(), 60s);

    const Totp docspace_default(kDocSpaceSecret);
    EXPECT_EQ(docspace_default.algorithm(), TotpAlgorithm::Sha1);
    EXPECT_EQ(docspace_default.digits(), 6U);
    EXPECT_EQ(docspace_default.period(), 30s);

    const docspace::OtpauthUri parsed =
        Totp::from_uri("otpauth://totp/Example:alice@example.com?secret=" + kDocSpaceSecret +
                       "&issuer=Example&algorithm=SHA512&digits=7&period=45");
    EXPECT_EQ(parsed.totp.algorithm(), TotpAlgorithm::Sha512);
    EXPECT_EQ(parsed.totp.digits(), 7U);
    EXPECT_EQ(parsed.totp.period(), 45s);
    EXPECT_EQ(parsed.totp.code(at(1767225600)).size(), 7U);

    const docspace::OtpauthUri plain = Totp::from_uri("otpauth://totp/alice?secret=" + kDocSpaceSecret);
    EXPECT_EQ(plain.totp.algorithm(), TotpAlgorithm::Sha1);
    EXPECT_EQ(plain.totp.digits(), 6U);
    EXPECT_EQ(plain.totp.period(), 30s);

    // A round trip through to_uri() keeps them.
    const docspace::OtpauthUri round_trip = Totp::from_uri(built.to_uri("john@example.com"));
    EXPECT_EQ(round_trip.totp.algorithm(), TotpAlgorithm::Sha256);
    EXPECT_EQ(round_trip.totp.digits(), 8U);
    EXPECT_EQ(round_trip.totp.period(), 60s);
}

TEST(Totp, OtpauthUriRoundTrip) {
    const Totp totp(kDocSpaceSecret, TotpAlgorithm::Sha256, 8, 60s);
    const std::string uri = totp.to_uri("john@example.com", std::string("portal.example.com"));
    EXPECT_EQ(uri.rfind("otpauth://totp/", 0), 0U);
    const docspace::OtpauthUri parsed = Totp::from_uri(uri);
    EXPECT_EQ(parsed.account, "john@example.com");
    EXPECT_EQ(parsed.issuer, std::optional<std::string>("portal.example.com"));
    EXPECT_EQ(parsed.totp.code(at(1767225600)), totp.code(at(1767225600)));
    EXPECT_EQ(parsed.totp.seconds_remaining(at(1767225600)), 60s);

    const docspace::OtpauthUri no_issuer = Totp::from_uri(Totp(kDocSpaceSecret).to_uri("ann"));
    EXPECT_FALSE(no_issuer.issuer);
    EXPECT_EQ(no_issuer.account, "ann");
}

TEST(Totp, UnusableInputsAreInvalidArgument) {
    EXPECT_EQ(kind_of([] { (void)docspace::totp("not base32 !"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { (void)docspace::totp(""); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { (void)docspace::verify_totp("", "123456"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { Totp(kDocSpaceSecret, TotpAlgorithm::Sha1, 9); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { Totp(kDocSpaceSecret, TotpAlgorithm::Sha1, 6, 0s); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { Totp(kDocSpaceSecret, TotpAlgorithm::Sha1, 6, -30s); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { Totp(kDocSpaceSecret, static_cast<TotpAlgorithm>(7)); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { (void)Totp::from_uri("https://example.com"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { (void)Totp::from_uri("otpauth://hotp/x?secret=" + kDocSpaceSecret); }),
              ErrorKind::InvalidArgument);
}

TEST(Version, MatchesTheHeader) { EXPECT_EQ(docspace::version(), DOCSPACE_VERSION_STRING); }

TEST(Wipe, ZeroesAndClears) {
    std::string secret = "a secret value longer than the small-string buffer";
    const char* data = secret.data();
    const std::size_t size = secret.size();
    docspace::wipe(secret);
    EXPECT_TRUE(secret.empty());
    for (std::size_t i = 0; i < size; ++i) {
        EXPECT_EQ(data[i], '\0');
    }
}

}  // namespace
}  // namespace docspace_test
