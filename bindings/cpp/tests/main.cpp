// Test entry point: every test binary runs against one emulator started for it.
#include "emulator.hpp"

#include <gtest/gtest.h>

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // GoogleTest owns (and deletes) the environment.
    ::testing::AddGlobalTestEnvironment(new docspace_test::EmulatorEnvironment);
    return RUN_ALL_TESTS();
}
