// The C++ RAII binding (bindings/cpp/include/docspace_auth.hpp) as a C++ program would use it.
// `cpp_binding MODE URL N WARMUP THREADS`; modes w1, w3, cold, mem (bench/README.md).
#include <barrier>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <thread>
#include <variant>
#include <vector>

#include "docspace_auth.hpp"

extern "C" {
#include "../c/bench_common.h"
}

namespace {

std::size_t flow(const docspace::Client& client, const docspace::Totp& totp) {
    docspace::LoginOutcome outcome = client.login(BENCH_USER, BENCH_PASSWORD);
    if (!std::holds_alternative<docspace::CodeRequired>(outcome)) throw std::runtime_error("expected CodeRequired");
    docspace::Session session = client.login_with_code(BENCH_USER, BENCH_PASSWORD, totp.code());
    return session.token().size();
}

}  // namespace

int main(int argc, char** argv) try {
    const bench_args a = bench_parse_args(argc, argv);
    const std::string mode = a.mode;
    const docspace::Totp totp(BENCH_SECRET);
    docspace::Client client(a.url);
    if (mode == "cold") {
        if (flow(client, totp) == 0) return 1;
        std::printf("{\"ok\":true}\n");
    } else if (mode == "w1") {
        for (long i = 0; i < a.warmup; i++) flow(client, totp);
        std::vector<double> times(static_cast<std::size_t>(a.n));
        const double start = bench_now_us();
        for (auto& t : times) {
            const double t0 = bench_now_us();
            if (flow(client, totp) == 0) return 1;
            t = bench_now_us() - t0;
        }
        bench_print_w1(times.data(), a.n, bench_now_us() - start);
    } else if (mode == "w3") {
        std::barrier sync(a.threads + 1);
        const long per_thread = a.n / a.threads;
        std::vector<std::thread> threads;
        for (long i = 0; i < a.threads; i++) {
            threads.emplace_back([&] {
                for (long j = 0; j < a.warmup; j++) flow(client, totp);
                sync.arrive_and_wait();
                for (long j = 0; j < per_thread; j++) flow(client, totp);
            });
        }
        sync.arrive_and_wait();
        const double start = bench_now_us();
        for (auto& t : threads) t.join();
        const double total = bench_now_us() - start;
        std::printf("{\"threads\":%ld,\"n\":%ld,\"flows_per_s\":%.1f}\n", a.threads, per_thread * a.threads,
                    static_cast<double>(per_thread * a.threads) / (total / 1e6));
    } else if (mode == "mem") {
        flow(client, totp);
        const long base = bench_status_kib("VmRSS:");
        std::vector<docspace::Client> extra;
        extra.reserve(static_cast<std::size_t>(a.n));
        for (long i = 0; i < a.n; i++) extra.emplace_back(a.url);
        const long idle = bench_status_kib("VmRSS:");
        for (const auto& c : extra) flow(c, totp);
        bench_print_mem(a.n, base, idle, bench_status_kib("VmRSS:"));
    } else {
        std::fprintf(stderr, "cpp_binding: unknown mode %s\n", a.mode);
        return 2;
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "cpp_binding: %s\n", e.what());
    return 1;
}
