// One version: CMake's project(VERSION) is what the library reports and what
// package.json says.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "ncnn_int8.h"
#include "ncnn_int8_version.h"

namespace ncnn_int8 {
namespace {

TEST(Version, LibraryReportsTheCMakeVersion)
{
    EXPECT_STREQ(kVersion, kProjectVersion);
    EXPECT_TRUE(std::regex_match(std::string(kVersion), std::regex("[0-9]+\\.[0-9]+\\.[0-9]+")));
}

TEST(Version, PackageJsonMatches)
{
    std::ifstream in(std::string(NCNN_INT8_SOURCE_DIR) + "/package.json");
    ASSERT_TRUE(in.good()) << "package.json not found in " << NCNN_INT8_SOURCE_DIR;
    std::stringstream text;
    text << in.rdbuf();
    std::smatch m;
    const std::string json = text.str();
    ASSERT_TRUE(std::regex_search(json, m, std::regex("\"version\"\\s*:\\s*\"([^\"]*)\"")));
    EXPECT_EQ(m[1].str(), kProjectVersion) << "package.json's version differs from CMakeLists.txt's project(VERSION)";
}

} // namespace
} // namespace ncnn_int8
