#include "emulator.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

namespace docspace_test {
namespace {

/// How long to wait for the emulator's start-up lines and for a control answer.
constexpr int kTimeoutMs = 30000;

/// The user kinds the emulator seeds, one user each.
const std::set<std::string> kSeededKinds = {"admin", "no_tfa", "not_linked", "linked", "sms", "disabled"};

std::runtime_error failure(const std::string& what) { return std::runtime_error("emulator: " + what); }

std::runtime_error system_failure(const std::string& what) {
    return failure(what + ": " + std::strerror(errno));
}

/// Reads the next `\n`-terminated line of @p fd into @p line, keeping the rest in @p pending.
void read_line(int fd, std::string& pending, std::string& line) {
    for (;;) {
        const std::size_t end = pending.find('\n');
        if (end != std::string::npos) {
            line = pending.substr(0, end);
            pending.erase(0, end + 1);
            return;
        }
        pollfd ready{fd, POLLIN, 0};
        const int polled = poll(&ready, 1, kTimeoutMs);
        if (polled < 0 && errno == EINTR) {
            continue;
        }
        if (polled < 0) {
            throw system_failure("poll");
        }
        if (polled == 0) {
            throw failure("no output within " + std::to_string(kTimeoutMs) + " ms");
        }
        char buffer[4096];
        const ssize_t got = read(fd, buffer, sizeof buffer);
        if (got == 0) {
            throw failure("exited during start-up");
        }
        if (got < 0 && errno != EINTR) {
            throw system_failure("read");
        }
        if (got > 0) {
            pending.append(buffer, static_cast<std::size_t>(got));
        }
    }
}

/// `user email=… password=… kind=… id=… [totp_secret=…] api_key=…`
User parse_user(const std::string& line) {
    User user;
    std::istringstream words(line.substr(line.find(' ') + 1));
    std::string word;
    while (words >> word) {
        const std::size_t equals = word.find('=');
        const std::string key = word.substr(0, equals);
        const std::string value = equals == std::string::npos ? std::string() : word.substr(equals + 1);
        if (key == "email") user.email = value;
        else if (key == "password") user.password = value;
        else if (key == "kind") user.kind = value;
        else if (key == "id") user.id = value;
        else if (key == "totp_secret") user.totp_secret = value;
        else if (key == "api_key") user.api_key = value;
    }
    return user;
}

/// A JSON string literal of @p text (quotes and backslashes escaped; test data has no
/// control characters).
std::string json_string(const std::string& text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
        }
        quoted += c;
    }
    return quoted + '"';
}

/// Closes a file descriptor when dropped.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) {
            close(fd);
        }
    }
};

std::unique_ptr<Emulator> running;

}  // namespace

Emulator::Emulator(const std::string& path) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw system_failure("pipe");
    }
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) {
        close(fds[0]);
        close(fds[1]);
        throw system_failure("fork");
    }
    if (pid_ == 0) {
        // The child: die with the test binary, even if it crashes; stdout into the pipe.
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent || dup2(fds[1], STDOUT_FILENO) < 0) {
            _exit(127);
        }
        execl(path.c_str(), path.c_str(), "--port", "0", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    stdout_fd_ = fds[0];
    try {
        std::string pending;
        std::string line;
        read_line(stdout_fd_, pending, line);
        const std::string prefix = "docspace-emulator listening on ";
        if (line.compare(0, prefix.size(), prefix) != 0) {
            throw failure("unexpected first line: " + line);
        }
        url_ = line.substr(prefix.size());
        std::set<std::string> missing = kSeededKinds;
        while (!missing.empty()) {
            read_line(stdout_fd_, pending, line);
            if (line.compare(0, 5, "user ") == 0) {
                users_.push_back(parse_user(line));
                missing.erase(users_.back().kind);
            }
        }
    } catch (...) {
        stop();
        throw;
    }
}

Emulator::~Emulator() { stop(); }

void Emulator::stop() noexcept {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    if (stdout_fd_ >= 0) {
        close(stdout_fd_);
        stdout_fd_ = -1;
    }
}

const User& Emulator::user(const std::string& kind) const {
    for (const User& candidate : users_) {
        if (candidate.kind == kind) {
            return candidate;
        }
    }
    throw failure("no seeded user of kind " + kind);
}

void Emulator::reset() const {
    const Reply reply = control("POST", "reset");
    if (reply.status != 200) {
        throw failure("reset answered " + std::to_string(reply.status) + ": " + reply.body);
    }
}

void Emulator::fault(const std::string& json) const {
    const Reply reply = control("POST", "faults", json);
    if (reply.status != 200) {
        throw failure("fault " + json + " refused: " + reply.body);
    }
}

void Emulator::add_user(const std::string& email, const std::string& password, const std::string& kind) const {
    const Reply reply = control("POST", "users",
                                "{\"email\":" + json_string(email) + ",\"password\":" + json_string(password) +
                                    ",\"kind\":" + json_string(kind) + "}");
    if (reply.status != 200) {
        throw failure("adding " + email + " refused: " + reply.body);
    }
}

Reply Emulator::control(const std::string& method, const std::string& path, const std::string& body) const {
    // url_ is http://HOST:PORT (the emulator serves plain HTTP unless given a certificate).
    const std::string authority = url_.substr(url_.find("://") + 3);
    const std::size_t colon = authority.rfind(':');
    const std::string host = authority.substr(0, colon);
    const std::string port = authority.substr(colon + 1);

    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
        throw failure("cannot resolve " + authority);
    }
    const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    const Fd socket_fd{socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol)};
    if (socket_fd.fd < 0) {
        throw system_failure("socket");
    }
    const timeval timeout{kTimeoutMs / 1000, 0};
    setsockopt(socket_fd.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(socket_fd.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (connect(socket_fd.fd, found->ai_addr, found->ai_addrlen) != 0) {
        throw system_failure("connect to " + authority);
    }

    const std::string request = method + " /__emulator/" + path + " HTTP/1.1\r\nHost: " + authority +
                                "\r\nContent-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = send(socket_fd.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            throw system_failure("send");
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string response;
    char buffer[4096];
    for (ssize_t n; (n = recv(socket_fd.fd, buffer, sizeof buffer, 0)) != 0;) {
        if (n < 0 && errno != EINTR) {
            throw system_failure("recv");
        }
        if (n > 0) {
            response.append(buffer, static_cast<std::size_t>(n));
        }
    }

    // "HTTP/1.1 200 OK\r\n…\r\n\r\nbody"
    Reply reply;
    const std::size_t space = response.find(' ');
    if (space == std::string::npos) {
        throw failure("malformed control answer");
    }
    reply.status = std::atoi(response.c_str() + space + 1);
    const std::size_t body_start = response.find("\r\n\r\n");
    if (body_start != std::string::npos) {
        reply.body = response.substr(body_start + 4);
    }
    return reply;
}

Emulator& emulator() {
    if (!running) {
        throw std::logic_error("the emulator is not running (see the environment's start-up failure)");
    }
    return *running;
}

void EmulatorEnvironment::SetUp() {
    const char* from_env = std::getenv("DOCSPACE_EMULATOR");
    const std::string path = from_env != nullptr ? from_env : DOCSPACE_EMULATOR_PATH;
    try {
        running = std::make_unique<Emulator>(path);
    } catch (const std::exception& e) {
        FAIL() << "cannot start " << path << ": " << e.what();
    }
}

void EmulatorEnvironment::TearDown() { running.reset(); }

}  // namespace docspace_test
