// Files in and out: a FileSource reads at any offset, an AtomicFileSink
// makes its output appear only on commit() and never clobbers an existing
// file when it is dropped.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/byte_io.h"

namespace ncnn_int8 {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir()
    {
        path_ = fs::temp_directory_path() / ("ncnn_int8_byte_io_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path_), fs::directory_iterator())); }

private:
    fs::path path_;
    static inline int counter_ = 0;
};

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(FileSource, ReadsAtOffsetsAndReportsSize)
{
    TempDir dir;
    std::ofstream(dir.file("a.bin"), std::ios::binary) << "0123456789";
    Result<FileSource*> opened = FileSource::open(dir.file("a.bin"));
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    std::unique_ptr<FileSource> src(opened.value());
    EXPECT_EQ(src->size(), 10u);
    char buf[8] = {};
    Result<size_t> n = src->read_at(6, buf, 8);
    ASSERT_TRUE(n.is_ok());
    EXPECT_EQ(n.value(), 4u);
    EXPECT_EQ(std::string(buf, 4), "6789");
    EXPECT_EQ(src->read_at(10, buf, 1).value(), 0u);
}

TEST(FileSource, RefusesMissingFilesAndDirectoriesByName)
{
    TempDir dir;
    Result<FileSource*> missing = FileSource::open(dir.file("nope.bin"));
    ASSERT_FALSE(missing.is_ok());
    EXPECT_NE(missing.status().message().find("nope.bin"), std::string::npos);
    Result<FileSource*> directory = FileSource::open(dir.file(""));
    ASSERT_FALSE(directory.is_ok());
    EXPECT_NE(directory.status().message().find("directory"), std::string::npos);
    Result<std::string> text = read_whole_file(dir.file(""));
    ASSERT_FALSE(text.is_ok());
}

TEST(AtomicFileSink, OutputAppearsOnlyOnCommit)
{
    TempDir dir;
    const std::string out = dir.file("out.bin");
    {
        Result<AtomicFileSink*> made = AtomicFileSink::create(out);
        ASSERT_TRUE(made.is_ok()) << made.status().message();
        std::unique_ptr<AtomicFileSink> sink(made.value());
        ASSERT_TRUE(sink->write("abc", 3).is_ok());
        EXPECT_FALSE(fs::exists(out));
        ASSERT_TRUE(sink->commit().is_ok());
    }
    EXPECT_EQ(slurp(out), "abc");
    EXPECT_EQ(dir.entries(), 1u) << "no temp file left";
}

TEST(AtomicFileSink, DroppedWithoutCommitLeavesNothingAndKeepsTheOldFile)
{
    TempDir dir;
    const std::string out = dir.file("out.bin");
    std::ofstream(out, std::ios::binary) << "old";
    {
        std::unique_ptr<AtomicFileSink> sink(AtomicFileSink::create(out).value());
        ASSERT_TRUE(sink->write("new data", 8).is_ok());
    }
    EXPECT_EQ(slurp(out), "old");
    EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicFileSink, UnwritableLocationsAreErrorsNamingThePath)
{
    TempDir dir;
    Result<AtomicFileSink*> in_missing_dir = AtomicFileSink::create(dir.file("no/such/dir/out.bin"));
    ASSERT_FALSE(in_missing_dir.is_ok());
    EXPECT_NE(in_missing_dir.status().message().find("no/such/dir/out.bin"), std::string::npos);
    Result<AtomicFileSink*> onto_directory = AtomicFileSink::create(dir.file(""));
    ASSERT_FALSE(onto_directory.is_ok());
    EXPECT_EQ(dir.entries(), 0u);
}

} // namespace
} // namespace ncnn_int8
