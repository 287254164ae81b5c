// Weight-only block quantization (src/llm/): the table grammar, the number
// format, the plan's checks and messages, and round trips on a generated
// decoder that need nothing outside the project.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/thread_team.h"
#include "llm/llm_layers.h"
#include "llm/llm_plan.h"
#include "llm/llm_table.h"
#include "llm_test_util.h"
#include "model_generator.h"

namespace ncnn_int8 {
namespace {

using test::contains;
using test::llm_options;
using test::llm_quantize_in_memory;
using test::llm_table_in_memory;

const GeneratedModel& decoder()
{
    static const GeneratedModel m = [] {
        Result<GeneratedModel> r = generate_model_in_memory("decoder", 3);
        if (!r.is_ok()) std::abort();
        return r.value();
    }();
    return m;
}

// --- table grammar ---------------------------------------------------------

// The table indexed from text, and one row's coefficients read back.
struct IndexedTable {
    std::string text;
    MemorySource source;
    Result<LlmTable> table;
    IndexedTable(std::string t, const std::string& name)
        : text(std::move(t)),
          source(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
          table(index_llm_table(source, name))
    {
    }
    std::vector<float> coeffs(const std::string& key)
    {
        std::vector<float> out;
        Status s = read_llm_table_coeffs(source, "t", table.value().at(key), out);
        EXPECT_TRUE(s.is_ok()) << s.message();
        return out;
    }
};

TEST(LlmTable, ParsesRowsMetadataAndComments)
{
    const std::string text = "# comment\n\n  \t\ng_param_1 bits=4 block=32 method=minmax 1.5 2 3e-1 \r\n"
                             "g_param_1_input_scale method=awq 0.5 0.25\n";
    IndexedTable it(text, "dir/m.llm.table");
    const Result<LlmTable>& t = it.table;
    ASSERT_TRUE(t.is_ok()) << t.status().message();
    ASSERT_EQ(t.value().size(), 2u);
    const LlmTableRow& row = t.value().at("g_param_1");
    EXPECT_EQ(row.line, 4);
    EXPECT_EQ(row.bits, 4);
    EXPECT_EQ(row.block, 32);
    EXPECT_EQ(it.coeffs("g_param_1"), (std::vector<float>{1.5f, 2.f, 0.3f}));
    EXPECT_EQ(t.value().at("g_param_1_input_scale").coeff_count, 2u);
    EXPECT_EQ(it.coeffs("g_param_1_input_scale"), (std::vector<float>{0.5f, 0.25f}));
}

TEST(LlmTable, LastDuplicateRowWinsAndQweightResolvesNextToTheTable)
{
    IndexedTable it("a bits=4 block=32 qweight=a.qw 1\na bits=8 block=64 qweight=/abs/a.qw 2\nb qweight=x 1\n", "dir/m.table");
    const Result<LlmTable>& t = it.table;
    ASSERT_TRUE(t.is_ok());
    EXPECT_EQ(t.value().at("a").bits, 8);
    EXPECT_EQ(t.value().at("a").qweight, "/abs/a.qw");
    EXPECT_EQ(t.value().at("b").qweight, "dir/x");
}

TEST(LlmTable, CoefficientsParseLikeScanf)
{
    IndexedTable it("k +1.5 0x10 2.5abc 1e-3 inf\n", "t");
    ASSERT_TRUE(it.table.is_ok()) << it.table.status().message();
    const std::vector<float> c = it.coeffs("k");
    ASSERT_EQ(c.size(), 5u);
    EXPECT_EQ(c[0], 1.5f);
    EXPECT_EQ(c[1], 16.f);
    EXPECT_EQ(c[2], 2.5f);
    EXPECT_EQ(c[3], 1e-3f);
    EXPECT_TRUE(std::isinf(c[4]));
}

// The index tells positive coefficients from the rest by their text where it
// can; each token here alone in a row must land as reading it would.
TEST(LlmTable, IndexFindsTheFirstCoefficientNotPositiveAsReadingWould)
{
    const char* positive[] = {"1", "+2.5", "5.", ".5", "007", "0.000123", "1e-44", "9.9e-45", "1e99", "1E+3",
                              "0.00000000000000000000000000000000000000000001", "12345678901234567890123", "0x10", "2.5abc", "inf"};
    const char* not_positive[] = {"0", "-1", "-0", "0.000", "0e5", "+0", "1e-46", "1e-99999999",
                                  "0.0000000000000000000000000000000000000000000001", "nan", "-inf", "-1e-3"};
    for (const char* token : positive) {
        IndexedTable it(std::string("k 1 ") + token + " 2\n", "t");
        ASSERT_TRUE(it.table.is_ok()) << token << ": " << it.table.status().message();
        EXPECT_EQ(it.table.value().at("k").coeff_count, 3u) << token;
        EXPECT_EQ(it.table.value().at("k").first_not_positive, LlmTableRow::kAllPositive) << token;
    }
    for (const char* token : not_positive) {
        IndexedTable it(std::string("k 1 ") + token + " 2\n", "t");
        ASSERT_TRUE(it.table.is_ok()) << token << ": " << it.table.status().message();
        EXPECT_EQ(it.table.value().at("k").first_not_positive, 1u) << token;
        const float value = it.table.value().at("k").not_positive_value;
        EXPECT_TRUE(value <= 0.f || std::isnan(value)) << token;
    }
    for (const char* token : {"+", ".", "e5", "-", "abc"}) {
        IndexedTable it(std::string("k 1 ") + token + "\n", "t");
        EXPECT_FALSE(it.table.is_ok()) << token;
    }
}

TEST(LlmTable, RefusesMalformedRowsNamingFileAndLine)
{
    struct Case {
        const char* text;
        const char* message;
    } cases[] = {
        {"k bits= 1\n", "t:1: malformed metadata bits="},
        {"\nk bits=four 1\n", "t:2: malformed bits=four"},
        {"k block=64x 1\n", "t:1: malformed block=64x"},
        {"k scale=2 1\n", "t:1: unsupported metadata scale"},
        {"k 1 bits=4\n", "t:1: key=value token after coefficients started"},
        {"k 1 abc\n", "t:1: malformed coefficient abc"},
    };
    for (const Case& c : cases) {
        IndexedTable it(c.text, "t");
        const Result<LlmTable>& t = it.table;
        ASSERT_FALSE(t.is_ok()) << c.text;
        EXPECT_TRUE(contains(t.status().message(), c.message)) << t.status().message();
    }
}

TEST(LlmTable, RowsLongerThanTheReadWindowAndCutLinesIndexAsAStream)
{
    // One row of 400000 coefficients (about 4.4 MB: beyond the 1 MiB window
    // the index reads through), lines cut at \r or NUL, a comment, and a last
    // line without its newline.
    std::string text = "# made by hand\nbig bits=4 block=32 ";
    std::vector<float> want;
    for (int i = 0; i < 400000; i++) {
        want.push_back(float(i % 977 + 1) / 64.f);
        append_table_number(text, want.back());
        text += ' ';
    }
    text += "\ncut 1 2\r3 bits=x\nnul 4 5";
    text += '\0';
    text += " 6 junk=\n\n   \nlast 0.5 -1 0 nan";
    IndexedTable it(text, "t");
    ASSERT_TRUE(it.table.is_ok()) << it.table.status().message();
    const LlmTable& t = it.table.value();
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t.at("big").coeff_count, want.size());
    EXPECT_EQ(t.at("big").first_not_positive, LlmTableRow::kAllPositive);
    EXPECT_EQ(it.coeffs("big"), want);
    EXPECT_EQ(it.coeffs("cut"), (std::vector<float>{1.f, 2.f}));
    EXPECT_EQ(it.coeffs("nul"), (std::vector<float>{4.f, 5.f}));
    const LlmTableRow& last = t.at("last");
    EXPECT_EQ(last.line, 7);
    EXPECT_EQ(last.coeff_count, 4u);
    EXPECT_EQ(last.first_not_positive, 1u);
    EXPECT_EQ(last.not_positive_value, -1.f);
}

// A large row's coefficients are parsed by a team, a share of each window
// per member: the same values, the same stop at the first bad token, the
// same indifference to tokens past the indexed count.
TEST(LlmTable, CoefficientsReadByATeamAsOneByOne)
{
    std::string text = "big bits=4 block=32 ";
    std::vector<float> want;
    for (int i = 0; i < 300000; i++) {
        want.push_back(float(i % 1013 + 1) / 128.f);
        append_table_number(text, want.back());
        text += i % 7 == 0 ? "\t" : " ";
    }
    text += "\nnext 1\n";
    IndexedTable it(text, "t");
    ASSERT_TRUE(it.table.is_ok()) << it.table.status().message();
    const LlmTableRow row = it.table.value().at("big");
    ThreadTeam team(3);
    std::vector<float> got;
    ASSERT_TRUE(read_llm_table_coeffs(it.source, "t", row, got, &team).is_ok());
    EXPECT_EQ(got, want);

    // More numbers on the line than were indexed: the indexed count is read.
    std::string longer = text;
    longer.insert(longer.find("\nnext"), " 5 6 7");
    MemorySource longer_source(reinterpret_cast<const uint8_t*>(longer.data()), longer.size());
    ASSERT_TRUE(read_llm_table_coeffs(longer_source, "t", row, got, &team).is_ok());
    EXPECT_EQ(got, want);

    // A token that is no longer a number, deep in the row: refused.
    std::string changed = text;
    const size_t middle = changed.find(' ', changed.size() * 2 / 3) + 1;
    changed[middle] = 'x';
    MemorySource changed_source(reinterpret_cast<const uint8_t*>(changed.data()), changed.size());
    const Status s = read_llm_table_coeffs(changed_source, "t", row, got, &team);
    ASSERT_FALSE(s.is_ok());
    EXPECT_TRUE(contains(s.message(), "t:1: the table changed while it was read")) << s.message();
}

// A window's numbers formatted by a team, a share per member: the same text
// as one thread's, window after window into the same string.
TEST(LlmTable, NumbersFormattedByATeamAsByOneThread)
{
    std::mt19937 rng(17);
    std::uniform_real_distribution<float> scale(1e-5f, 3.f);
    ThreadTeam team(3);
    TableNumberFormatter formatter;
    std::string shared = "row ", alone = "row ";
    for (size_t count : {size_t(100000), size_t(5), size_t(0), size_t(12289)}) {
        std::vector<float> numbers(count);
        for (float& v : numbers) v = scale(rng);
        formatter.append(shared, numbers.data(), numbers.size(), team);
        append_llm_table_numbers(alone, numbers.data(), numbers.size());
        ASSERT_EQ(shared, alone) << count;
    }
}

TEST(LlmTable, NumbersPrintLikePrintfG9)
{
    std::mt19937 rng(5);
    std::uniform_int_distribution<uint32_t> bits;
    for (int i = 0; i < 200000; i++) {
        uint32_t u = bits(rng);
        float f;
        std::memcpy(&f, &u, 4);
        if (i < 1000) f = float(i) / 7.f;
        std::string ours;
        append_table_number(ours, f);
        char want[64];
        std::snprintf(want, sizeof want, "%.9g", double(f));
        ASSERT_EQ(ours, want) << "bits " << u;
    }
}

// The formatter used where the standard library has no floating-point
// to_chars (the WebAssembly build), against printf itself.
TEST(LlmTable, FastNumbersPrintLikePrintfG9)
{
    int fast = 0;
    auto check = [&fast](float f) {
        std::string ours;
        if (!append_table_number_fast(ours, f)) {
            ASSERT_TRUE(ours.empty());
            ASSERT_TRUE(f == 0.f || !std::isfinite(f) || std::fabs(f) < 1e-20f) << f;
            return;
        }
        fast++;
        char want[64];
        std::snprintf(want, sizeof want, "%.9g", double(f));
        ASSERT_EQ(ours, want);
    };
    // Every 4099th bit pattern: all exponents, both signs, subnormals.
    for (uint64_t u = 0; u < (uint64_t(1) << 32); u += 4099) {
        float f;
        const uint32_t b = uint32_t(u);
        std::memcpy(&f, &b, 4);
        check(f);
    }
    // Exact ties at the 9th digit (ten digits ending in 5): printf rounds them to even.
    for (uint32_t a = 1000000; a < 1100000; a++)
        for (int eighths : {1, 3, 5, 7}) check(float(a) + float(eighths) / 8.f);
    // Values a block scale takes (qmax / absmax) and their neighbours.
    std::mt19937 rng(17);
    std::uniform_real_distribution<float> absmax(1e-6f, 4.f);
    for (int i = 0; i < 200000; i++) {
        const float s = 7.f / absmax(rng);
        check(s);
        check(std::nextafter(s, 0.f));
        check(-std::nextafter(s, 1e30f));
    }
    // Where the digit count changes.
    for (float p = 1e-20f; p < 1e30f; p *= 10.f) {
        check(p);
        check(std::nextafter(p, 0.f));
        check(std::nextafter(p, 1e38f));
    }
    EXPECT_GT(fast, 1000000);
    std::string s;
    EXPECT_FALSE(append_table_number_fast(s, 0.f));
    EXPECT_FALSE(append_table_number_fast(s, std::numeric_limits<float>::infinity()));
    EXPECT_FALSE(append_table_number_fast(s, std::nanf("")));
    EXPECT_TRUE(s.empty());
}

// --- layer facts -----------------------------------------------------------

TEST(LlmLayers, QuantizeTermCodes)
{
    EXPECT_EQ(llm_quantize_term(4, 32, false), 400);
    EXPECT_EQ(llm_quantize_term(4, 64, true), 411);
    EXPECT_EQ(llm_quantize_term(8, 128, false), 802);
    EXPECT_EQ(llm_quantize_term(5, 64, false), 0);
    EXPECT_EQ(llm_quantize_term(4, 48, false), 0);
}

// --- generated decoder round trips -----------------------------------------

// --- the .bin indexed from its first tag (index_like_first_tag) -----------------

enum class LlmOp { Table,
                   Quantize,
                   OnePass };

struct LoggedLlmRun {
    test::LlmRun run;
    int rewinds = 0;
    std::vector<uint64_t> reads;
};

LoggedLlmRun run_llm(LlmOp op, const std::vector<uint8_t>& bin, bool like_first_tag)
{
    LoggedLlmRun out;
    test::ReadLog source(bin);
    test::RecordingSink table_out, param_out, bin_out;
    const LlmOptions o = llm_options("minmax", 4, 64);
    Result<LlmReport> r = Status::failure("not run");
    // The fields both requests have.
    const auto fill = [&](auto& request) {
        request.param = {"in.param", decoder().param};
        request.bin_name = "in.bin";
        request.bin = &source;
        request.options = o;
        request.index_like_first_tag = like_first_tag;
    };
    if (op == LlmOp::Table) {
        LlmTableRequest request;
        fill(request);
        r = make_llm_table(request, table_out);
    } else {
        LlmQuantizeRequest request;
        fill(request);
        r = op == LlmOp::Quantize ? llm_quantize(request, param_out, bin_out) : llm_table_and_quantize(request, table_out, param_out, bin_out);
    }
    out.run.ok = r.is_ok();
    if (out.run.ok)
        out.run.report = r.value();
    else
        out.run.error = r.status().message();
    out.run.text.assign(param_out.bytes.begin(), param_out.bytes.end());
    out.run.table.assign(table_out.bytes.begin(), table_out.bytes.end());
    out.run.bin = bin_out.bytes;
    out.run.commits = table_out.commits + param_out.commits + bin_out.commits;
    out.rewinds = table_out.rewinds + bin_out.rewinds;
    out.reads = source.offsets;
    return out;
}

void expect_same_llm_run(const LoggedLlmRun& guessed, const LoggedLlmRun& read)
{
    ASSERT_TRUE(read.run.ok) << read.run.error;
    ASSERT_TRUE(guessed.run.ok) << guessed.run.error;
    EXPECT_EQ(guessed.run.text, read.run.text);
    EXPECT_EQ(guessed.run.table, read.run.table);
    EXPECT_TRUE(guessed.run.bin == read.run.bin);
    EXPECT_EQ(llm_report_to_json(guessed.run.report), llm_report_to_json(read.run.report));
}

const char* op_name(LlmOp op) { return op == LlmOp::Table ? "table" : op == LlmOp::Quantize ? "quantize"
                                                                                            : "one pass"; }

TEST(LlmIndexLikeFirstTag, SameOutputsWithReadsOnlyGoingForward)
{
    for (LlmOp op : {LlmOp::Table, LlmOp::Quantize, LlmOp::OnePass}) {
        SCOPED_TRACE(op_name(op));
        const LoggedLlmRun read = run_llm(op, decoder().bin, false);
        const LoggedLlmRun guessed = run_llm(op, decoder().bin, true);
        expect_same_llm_run(guessed, read);
        EXPECT_EQ(guessed.rewinds, 0);
        // Every tag read first jumps across the file; after the first tag
        // (the index's one read) the reads only go forward.
        EXPECT_FALSE(std::is_sorted(read.reads.begin() + 1, read.reads.end()));
        ASSERT_FALSE(guessed.reads.empty());
        EXPECT_TRUE(std::is_sorted(guessed.reads.begin() + 1, guessed.reads.end()));
    }
}

TEST(LlmIndexLikeFirstTag, ATagUnlikeTheFirstStartsAgainOnTheTagsRead)
{
    // One blob's tag turned into fp32-scaled (0x0002C056): the same bytes
    // as fp32, so the index from the first tag adds up, but a blob the
    // tools do not take as plain fp32. Once a Gemm's weight, which every
    // pass reads, once a Gemm's bias, which the table pass passes over.
    Diagnostics d;
    Result<ParamFile> file = read_param_text(decoder().param, "in.param");
    ASSERT_TRUE(file.is_ok());
    Result<Model> model = build_model(std::move(file).value(), d);
    ASSERT_TRUE(model.is_ok());
    MemorySource plain(decoder().bin.data(), decoder().bin.size());
    Result<std::vector<LayerBlobs>> index = index_bin(model.value(), plain, "in.bin");
    ASSERT_TRUE(index.is_ok());
    std::vector<uint64_t> weight_tags, bias_tags;
    for (size_t li = 0; li < index.value().size(); li++)
        for (const BlobLocation& b : index.value()[li].blobs)
            if (b.stored == StoredAs::Fp32 && model.value().layers[li].decl->type == "Gemm") (b.spec->name == "B_data" ? weight_tags : bias_tags).push_back(b.offset);
    ASSERT_GT(weight_tags.size(), 2u);
    ASSERT_GT(bias_tags.size(), 2u);
    for (uint64_t at : {weight_tags[weight_tags.size() / 2], bias_tags[bias_tags.size() / 2]}) {
        std::vector<uint8_t> bin = decoder().bin;
        const uint32_t scaled = kTagFp32Scaled;
        std::memcpy(bin.data() + at, &scaled, 4);
        for (LlmOp op : {LlmOp::Table, LlmOp::Quantize, LlmOp::OnePass}) {
            SCOPED_TRACE(std::string(op_name(op)) + ", tag at " + std::to_string(at));
            const LoggedLlmRun read = run_llm(op, bin, false);
            const LoggedLlmRun guessed = run_llm(op, bin, true);
            if (!read.run.ok) {
                EXPECT_EQ(guessed.run.error, read.run.error);
                EXPECT_EQ(guessed.run.commits, 0);
                continue;
            }
            expect_same_llm_run(guessed, read);
            EXPECT_GE(guessed.rewinds, 1);
        }
    }
}

TEST(LlmGenerated, TableThenApplyEqualsDirectForm)
{
    for (const char* method : {"minmax", "mseclip"})
        for (int bits : {4, 6, 8})
            for (int block : {32, 64, 128}) {
                SCOPED_TRACE(std::string(method) + " bits " + std::to_string(bits) + " block " + std::to_string(block));
                const LlmOptions o = llm_options(method, bits, block);
                const test::LlmRun table = llm_table_in_memory(decoder().param, decoder().bin, o);
                ASSERT_TRUE(table.ok) << table.error;
                EXPECT_EQ(table.commits, 1);
                EXPECT_EQ(table.report.table_rows, 14);
                const test::LlmRun via_table = llm_quantize_in_memory(decoder().param, decoder().bin, table.text, o);
                const test::LlmRun direct = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, o);
                ASSERT_TRUE(via_table.ok) << via_table.error;
                ASSERT_TRUE(direct.ok) << direct.error;
                EXPECT_EQ(via_table.text, direct.text);
                EXPECT_TRUE(via_table.bin == direct.bin);
                EXPECT_TRUE(contains(direct.text, " 18=" + std::to_string(llm_quantize_term(bits, block, false))));
                EXPECT_LT(direct.bin.size(), decoder().bin.size() / 3);
            }
}

TEST(LlmGenerated, OnePassEqualsTableThenApply)
{
    for (const char* method : {"minmax", "mseclip"})
        for (int bits : {4, 6, 8})
            for (int block : {32, 64, 128}) {
                SCOPED_TRACE(std::string(method) + " bits " + std::to_string(bits) + " block " + std::to_string(block));
                const LlmOptions o = llm_options(method, bits, block);
                const test::LlmRun table = llm_table_in_memory(decoder().param, decoder().bin, o);
                ASSERT_TRUE(table.ok) << table.error;
                const test::LlmRun via_table = llm_quantize_in_memory(decoder().param, decoder().bin, table.text, o);
                ASSERT_TRUE(via_table.ok) << via_table.error;
                const test::LlmRun one = test::llm_table_and_quantize_in_memory(decoder().param, decoder().bin, o);
                ASSERT_TRUE(one.ok) << one.error;
                EXPECT_EQ(one.commits, 3);
                EXPECT_EQ(one.table, table.text);
                EXPECT_EQ(one.text, via_table.text);
                EXPECT_TRUE(one.bin == via_table.bin);
                EXPECT_EQ(one.report.table_rows, 14);
                EXPECT_EQ(one.report.table_bytes_out, table.text.size());
                EXPECT_EQ(one.report.bin_bytes_out, via_table.bin.size());
            }
    // Windows of rows down to one row, and threads: the same bytes.
    const LlmOptions whole = llm_options("mseclip", 4, 32);
    const test::LlmRun ref = test::llm_table_and_quantize_in_memory(decoder().param, decoder().bin, whole);
    ASSERT_TRUE(ref.ok) << ref.error;
    for (size_t window : {size_t(1), size_t(5000)})
        for (int threads : {1, 2}) {
            LlmOptions o = llm_options("mseclip", 4, 32, threads);
            o.window_bytes = window;
            const test::LlmRun r = test::llm_table_and_quantize_in_memory(decoder().param, decoder().bin, o);
            ASSERT_TRUE(r.ok) << r.error;
            EXPECT_EQ(r.table, ref.table) << "window " << window << " threads " << threads;
            EXPECT_TRUE(r.bin == ref.bin) << "window " << window << " threads " << threads;
        }
}

TEST(LlmGenerated, OnePassRefusesATableAndCalibrationMethods)
{
    MemorySource source(decoder().bin.data(), decoder().bin.size());
    test::RecordingSink table_out, param_out, bin_out;
    LlmQuantizeRequest request;
    request.param = {"in.param", decoder().param};
    request.bin_name = "in.bin";
    request.bin = &source;
    request.table = TextInput{"in.llm.table", "x_param_1 bits=4 block=32 1\n"};
    Result<LlmReport> r = llm_table_and_quantize(request, table_out, param_out, bin_out);
    ASSERT_FALSE(r.is_ok());
    EXPECT_TRUE(contains(r.status().message(), "not from another table")) << r.status().message();
    EXPECT_EQ(table_out.commits + param_out.commits + bin_out.commits, 0);
    const test::LlmRun awq = test::llm_table_and_quantize_in_memory(decoder().param, decoder().bin, llm_options("awq", 4, 64));
    EXPECT_FALSE(awq.ok);
    EXPECT_TRUE(contains(awq.error, "needs calibration data")) << awq.error;
    EXPECT_EQ(awq.commits, 0);
}

TEST(LlmGenerated, ResultsDoNotDependOnThreadCount)
{
    const test::LlmRun one = llm_table_in_memory(decoder().param, decoder().bin, llm_options("mseclip", 4, 32, 1));
    const test::LlmRun two = llm_table_in_memory(decoder().param, decoder().bin, llm_options("mseclip", 4, 32, 2));
    const test::LlmRun many = llm_table_in_memory(decoder().param, decoder().bin, llm_options("mseclip", 4, 32, 7));
    ASSERT_TRUE(one.ok && two.ok && many.ok);
    EXPECT_EQ(one.text, two.text);
    EXPECT_EQ(one.text, many.text);
    const test::LlmRun a = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, llm_options("minmax", 6, 64, 1));
    const test::LlmRun b = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, llm_options("minmax", 6, 64, 3));
    ASSERT_TRUE(a.ok && b.ok);
    EXPECT_TRUE(a.bin == b.bin);
}

TEST(LlmGenerated, WeightsReadInRowWindowsGiveTheSameBytes)
{
    // Down to one row per window: table, model and report do not change.
    // Every window and thread count with minmax; mseclip (its search costs
    // far more, and the windows are read the same way) on the narrowest.
    const std::vector<std::pair<size_t, int>> minmax_runs = {{1, 1}, {1, 2}, {1000, 1}, {1000, 2}, {40000, 1}, {40000, 2}};
    const std::vector<std::pair<size_t, int>> mseclip_runs = {{1, 2}};
    for (const char* method : {"minmax", "mseclip"}) {
        SCOPED_TRACE(method);
        const LlmOptions whole = llm_options(method, 4, 32, 1);
        const test::LlmRun table = llm_table_in_memory(decoder().param, decoder().bin, whole, true);
        const test::LlmRun direct = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, whole, "t", {}, true);
        const test::LlmRun via_table = llm_quantize_in_memory(decoder().param, decoder().bin, table.text, whole, "t", {}, true);
        ASSERT_TRUE(table.ok && direct.ok && via_table.ok);
        for (const auto& [window, threads] : std::string(method) == "minmax" ? minmax_runs : mseclip_runs) {
            SCOPED_TRACE("window " + std::to_string(window) + " threads " + std::to_string(threads));
            LlmOptions o = llm_options(method, 4, 32, threads);
            o.window_bytes = window;
            const test::LlmRun t = llm_table_in_memory(decoder().param, decoder().bin, o, true);
            const test::LlmRun d = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, o, "t", {}, true);
            const test::LlmRun v = llm_quantize_in_memory(decoder().param, decoder().bin, table.text, o, "t", {}, true);
            ASSERT_TRUE(t.ok && d.ok && v.ok) << t.error << d.error << v.error;
            EXPECT_EQ(t.text, table.text);
            EXPECT_EQ(llm_report_to_json(t.report), llm_report_to_json(table.report));
            EXPECT_EQ(d.text, direct.text);
            EXPECT_TRUE(d.bin == direct.bin);
            EXPECT_EQ(llm_report_to_json(d.report), llm_report_to_json(direct.report));
            EXPECT_TRUE(v.bin == via_table.bin);
            EXPECT_EQ(llm_report_to_json(v.report), llm_report_to_json(via_table.report));
        }
    }
}

TEST(LlmGenerated, ReportHasBitsBlockBytesAndSqnrPerLayer)
{
    const test::LlmRun r4 = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, llm_options("minmax", 4, 32), "t", {}, true);
    const test::LlmRun r8 = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, llm_options("minmax", 8, 32), "t", {}, true);
    ASSERT_TRUE(r4.ok && r8.ok);
    ASSERT_EQ(r4.report.layers.size(), 14u);
    for (size_t i = 0; i < r4.report.layers.size(); i++) {
        const LlmLayerReport& l = r4.report.layers[i];
        EXPECT_EQ(l.action, "quantized");
        EXPECT_EQ(l.bits, 4);
        EXPECT_EQ(l.block, 32);
        EXPECT_EQ(l.method, "minmax");
        EXPECT_GT(l.bytes_in, l.bytes_out);
        ASSERT_TRUE(l.has_sqnr);
        EXPECT_GT(l.sqnr_db, 10.0);
        EXPECT_GT(r8.report.layers[i].sqnr_db, l.sqnr_db + 20.0) << "8 bits must be far more accurate than 4";
    }
    const std::string json = llm_report_to_json(r4.report);
    EXPECT_TRUE(contains(json, "\"sqnr_db\":"));
    EXPECT_TRUE(contains(json, "\"bits\":4"));
}

TEST(LlmGenerated, HandEditedTableRowsChangeOnlyTheirLayer)
{
    const LlmOptions o = llm_options("minmax", 4, 64);
    const test::LlmRun table = llm_table_in_memory(decoder().param, decoder().bin, o);
    ASSERT_TRUE(table.ok);
    // Give one layer 8 bits: recompute its row with 8-bit scales.
    const test::LlmRun table8 = llm_table_in_memory(decoder().param, decoder().bin, llm_options("minmax", 8, 64));
    std::string edited;
    size_t pos = 0;
    while (pos < table.text.size()) {
        const size_t end = table.text.find('\n', pos) + 1;
        const std::string line = table.text.substr(pos, end - pos);
        if (line.rfind("b0_down_proj_param_1 ", 0) == 0) {
            const size_t at = table8.text.find("b0_down_proj_param_1 ");
            edited += table8.text.substr(at, table8.text.find('\n', at) + 1 - at);
        } else {
            edited += line;
        }
        pos = end;
    }
    const test::LlmRun r = llm_quantize_in_memory(decoder().param, decoder().bin, edited, o, "t", {}, true);
    ASSERT_TRUE(r.ok) << r.error;
    for (const LlmLayerReport& l : r.report.layers) EXPECT_EQ(l.bits, l.name == "b0_down_proj" ? 8 : 4) << l.name;
    EXPECT_TRUE(contains(r.text, " 18=801"));
    EXPECT_TRUE(contains(r.text, " 18=401"));
}

TEST(LlmGenerated, CancelWritesNothing)
{
    MemorySource source(decoder().bin.data(), decoder().bin.size());
    test::RecordingSink param_out, bin_out;
    LlmQuantizeRequest request;
    request.param = {"in.param", decoder().param};
    request.bin_name = "in.bin";
    request.bin = &source;
    request.on_progress = [](const Progress& p) { return p.layers_done < 10; };
    Result<LlmReport> r = llm_quantize(request, param_out, bin_out);
    ASSERT_FALSE(r.is_ok());
    EXPECT_TRUE(contains(r.status().message(), "cancelled"));
    EXPECT_EQ(param_out.commits + bin_out.commits, 0);
}

TEST(LlmGenerated, CancelBetweenWindowsOfOneWeightWritesNothing)
{
    // Windows of a few rows: the run is asked between them too, not only
    // after each layer.
    LlmOptions o = llm_options("minmax", 4, 32);
    o.window_bytes = 4096;
    std::vector<Progress> asked;
    const test::LlmRun full = test::llm_table_and_quantize_in_memory(decoder().param, decoder().bin, o, false, [&asked](const Progress& p) {
        asked.push_back(p);
        return true;
    });
    ASSERT_TRUE(full.ok) << full.error;
    size_t mid_layer = 0; // the first question asked inside a layer
    for (size_t i = 1; i < asked.size() && !mid_layer; i++)
        if (asked[i].layers_done == asked[i - 1].layers_done) mid_layer = i;
    ASSERT_GT(mid_layer, 0u) << "never asked between windows of a weight";
    EXPECT_GT(asked[mid_layer].bytes_done, asked[mid_layer - 1].bytes_done);
    size_t calls = 0;
    const test::LlmRun r = test::llm_table_and_quantize_in_memory(decoder().param, decoder().bin, o, false,
                                                                  [&](const Progress&) { return calls++ < mid_layer; });
    ASSERT_FALSE(r.ok);
    EXPECT_TRUE(contains(r.error, "cancelled")) << r.error;
    EXPECT_EQ(calls, mid_layer + 1);
    EXPECT_EQ(r.commits, 0);
}

// --- refusals ---------------------------------------------------------------

struct Refusal {
    const char* what;
    std::function<std::string(const std::string& table)> edit;
    const char* message;
};

std::string replace_first(std::string s, const std::string& from, const std::string& to)
{
    const size_t at = s.find(from);
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
}

TEST(LlmRefusals, BadTablesAreRefusedWithTheirRowAndNothingCommitted)
{
    const LlmOptions o = llm_options("minmax", 4, 32);
    const test::LlmRun table = llm_table_in_memory(decoder().param, decoder().bin, o);
    ASSERT_TRUE(table.ok);
    const std::string& t = table.text;
    const Refusal refusals[] = {
        {"truncated table", [](const std::string& s) { return s.substr(0, s.find("b0_o_proj_param_1") - 100); }, "b0_v_proj_param_1 coefficient count mismatch"},
        {"bits 5", [](const std::string& s) { return replace_first(s, "bits=4", "bits=5"); }, "b0_q_proj_param_1 unsupported bits=5 block=32"},
        {"block 48", [](const std::string& s) { return replace_first(s, "block=32", "block=48"); }, "unsupported bits=4 block=48"},
        {"no bits", [](const std::string& s) { return replace_first(s, "bits=4 ", ""); }, "b0_q_proj_param_1 missing mandatory metadata"},
        {"unknown key", [](const std::string& s) { return replace_first(s, "method=minmax", "zero=1"); }, "in.llm.table:1: unsupported metadata zero"},
        {"zero scale", [](const std::string& s) { return replace_first(s, "method=minmax ", "method=minmax 0 "); }, "coefficient count mismatch"},
        {"negative scale",
         [](const std::string& s) {
             const size_t at = s.find("method=minmax ") + 14;
             return s.substr(0, at) + "-" + s.substr(at);
         },
         "b0_q_proj_param_1 invalid weight scale index=0"},
        {"unused row", [](const std::string& s) { return s + "nothing_param_1 bits=4 block=32 1\n"; }, "unused table row nothing_param_1"},
        {"only comments", [](const std::string&) { return std::string("# nothing\n\n"); }, "no layer quantized"},
        {"huge count",
         [](const std::string& s) {
             std::string row = "b0_q_proj_param_1 bits=4 block=32 ";
             for (int i = 0; i < 200000; i++) row += "1 ";
             return s + row + "\n";
         },
         "coefficient count mismatch expected=512 got=200000"},
        {"qweight missing", [](const std::string& s) { return replace_first(s, "method=minmax", "qweight=nowhere.qw"); }, "fopen qweight nowhere.qw failed"},
        {"input scale count",
         [](const std::string& s) { return s + "b0_q_proj_param_1_input_scale method=awq 1 2 3\n"; },
         "b0_q_proj_param_1_input_scale coefficient count mismatch expected=128 got=3"},
    };
    for (const Refusal& r : refusals) {
        SCOPED_TRACE(r.what);
        const test::LlmRun run = llm_quantize_in_memory(decoder().param, decoder().bin, r.edit(t), o);
        ASSERT_FALSE(run.ok);
        EXPECT_TRUE(contains(run.error, r.message)) << run.error;
        EXPECT_EQ(run.commits, 0);
    }
}

TEST(LlmRefusals, BadOptions)
{
    const std::pair<LlmOptions, const char*> cases[] = {
        {llm_options("minmax", 5, 64), "unsupported bits=5 or block=64"},
        {llm_options("minmax", 4, 16), "unsupported bits=4 or block=16"},
        {llm_options("kmeans", 4, 64), "unsupported method=kmeans"},
        {llm_options("awq", 4, 64), "needs calibration data"},
        {llm_options("gptq", 4, 64), "not supported yet"},
    };
    for (const auto& c : cases) {
        const test::LlmRun t = llm_table_in_memory(decoder().param, decoder().bin, c.first);
        EXPECT_FALSE(t.ok);
        EXPECT_TRUE(contains(t.error, c.second)) << t.error;
        EXPECT_EQ(t.commits, 0);
    }
    const test::LlmRun q = llm_quantize_in_memory(decoder().param, decoder().bin, std::nullopt, llm_options("awq", 4, 64));
    EXPECT_TRUE(contains(q.error, "method=awq requires llm.table")) << q.error;
}

TEST(LlmRefusals, TruncatedBinIsRefused)
{
    std::vector<uint8_t> bin(decoder().bin.begin(), decoder().bin.end() - 100);
    const test::LlmRun t = llm_table_in_memory(decoder().param, bin, llm_options("minmax", 4, 64));
    EXPECT_FALSE(t.ok);
    EXPECT_TRUE(contains(t.error, "in.bin")) << t.error;
    EXPECT_EQ(t.commits, 0);
}

} // namespace
} // namespace ncnn_int8
