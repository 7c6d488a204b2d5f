// The header on its own, as C++11 (-std=c++11 -pedantic -Werror), and a link check: the
// declarations must be extern "C" so that the C symbols resolve.
#include "docspace_auth.h"

#include <cstdio>
#include <cstring>

int main() {
    docspace_client *client = nullptr;
    docspace_result r = docspace_client_new("https://portal.example.com", &client, nullptr);
    docspace_client_free(client);
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    if (docspace_totp_code_at("LJVTCTSWGJYEOYSV", 1767225600, code, sizeof code, nullptr) != DOCSPACE_RESULT_OK) return 1;
    if (std::strcmp(code, "157287") != 0 || std::strcmp(docspace_version(), DOCSPACE_VERSION_STRING) != 0) return 1;
    std::printf("header_cxx11: C++11 build of docspace_auth.h %s links and runs (%s)\n", DOCSPACE_VERSION_STRING,
                docspace_result_name(r));
    return r == DOCSPACE_RESULT_OK ? 0 : 1;
}
