/* The header on its own, as strict C99 (-std=c99 -pedantic -Werror), and a link check. */
#include "docspace_auth.h"
#include "docspace_auth.h" /* the include guard works */

#include <stdio.h>
#include <string.h>

int main(void) {
    docspace_result r = DOCSPACE_RESULT_OK;
    docspace_client *client = NULL;
    if (strcmp(docspace_version(), DOCSPACE_VERSION_STRING) != 0) return 1;
    r = docspace_client_new("https://portal.example.com", &client, NULL);
    docspace_client_free(client);
    printf("header_c99: C99 build of docspace_auth.h %s links and runs (%s)\n", DOCSPACE_VERSION_STRING,
           docspace_result_name((unsigned)r));
    return r == DOCSPACE_RESULT_OK ? 0 : 1;
}
