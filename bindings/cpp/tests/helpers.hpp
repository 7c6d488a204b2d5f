// Small helpers shared by the test files.
#ifndef DOCSPACE_CPP_TESTS_HELPERS_HPP
#define DOCSPACE_CPP_TESTS_HELPERS_HPP

#include <docspace_auth.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <utility>

namespace docspace {

/// GoogleTest prints error kinds by name in failure messages.
inline void PrintTo(ErrorKind kind, std::ostream* out) { *out << to_string(kind); }

}  // namespace docspace

namespace docspace_test {

/// The docspace::Error that @p call throws, or no value (and a test failure) if it returns.
template <typename Call>
std::optional<docspace::Error> error_of(Call&& call) {
    try {
        std::forward<Call>(call)();
    } catch (const docspace::Error& error) {
        return error;
    }
    ADD_FAILURE() << "expected a docspace::Error, but the call succeeded";
    return std::nullopt;
}

/// The ErrorKind that @p call throws (test failure if it does not throw).
template <typename Call>
std::optional<docspace::ErrorKind> kind_of(Call&& call) {
    const std::optional<docspace::Error> error = error_of(std::forward<Call>(call));
    return error ? std::optional<docspace::ErrorKind>(error->kind()) : std::nullopt;
}

/// A six-digit code that the portal rejects for @p secret now (not within ±10 steps).
inline std::string wrong_code(const std::string& secret) {
    for (int candidate = 0;; ++candidate) {
        std::string code = std::to_string(100000 + candidate);
        if (!docspace::verify_totp(secret, code, std::nullopt, 10)) {
            return code;
        }
    }
}

}  // namespace docspace_test

#endif  // DOCSPACE_CPP_TESTS_HELPERS_HPP
