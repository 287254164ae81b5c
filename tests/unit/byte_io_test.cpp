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

TEST(FileSource, GathersSmallReadsIntoFewSystemCalls)
{
    TempDir dir;
    std::string data(300000, '\0');
    for (size_t i = 0; i < data.size(); i++) data[i] = char(i * 7 + i / 251);
    std::ofstream(dir.file("tags.bin"), std::ios::binary) << data;
    Result<FileSource*> opened = FileSource::open(dir.file("tags.bin"));
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    std::unique_ptr<FileSource> src(opened.value());
    // 4-byte reads every 8 bytes, as indexing reads tags: one raw read per window.
    for (size_t at = 0; at + 4 <= data.size(); at += 8) {
        char tag[4];
        ASSERT_EQ(src->read_at(at, tag, 4).value(), 4u);
        ASSERT_EQ(std::string(tag, 4), data.substr(at, 4)) << "at " << at;
    }
    EXPECT_LE(src->raw_reads(), data.size() / BufferedSource::kWindow + 2);
    // A large read goes straight through; a small one past the end gets the tail.
    std::string big(100000, '\0');
    ASSERT_EQ(src->read_at(123, &big[0], big.size()).value(), big.size());
    EXPECT_EQ(big, data.substr(123, big.size()));
    char tail[8];
    ASSERT_EQ(src->read_at(data.size() - 3, tail, 8).value(), 3u);
    EXPECT_EQ(std::string(tail, 3), data.substr(data.size() - 3));
    EXPECT_EQ(src->read_at(data.size(), tail, 1).value(), 0u);
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
