// The engine's plan: Input order, wanted blobs, freeing, unsupported types.
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "test_util.h"

namespace ncnn_int8::test {
namespace {

using engine::Engine;
using engine::Tensor;

Tensor ramp3(int w, int h, int c)
{
    Tensor t = Tensor::make3(w, h, c);
    for (size_t k = 0; k < t.data.size(); k++) t.data[k] = static_cast<float>(k) - 3.f;
    return t;
}

std::unique_ptr<Engine> must_create(const Model& model, const std::vector<uint8_t>& bin, const std::vector<std::string>& wanted)
{
    MemorySource src(bin.data(), bin.size());
    auto made = Engine::create(model, src, "m.bin", wanted);
    EXPECT_TRUE(made.is_ok()) << made.status().message();
    return made.is_ok() ? std::move(made).value() : nullptr;
}

TEST(EnginePlan, InputAndSplitHandOverEveryWantedBlob)
{
    const Model model = must_build("7767517\n3 5\n"
                                   "Input in0 0 1 a -23330=4,3,4,2,3\n"
                                   "Input in1 0 1 b\n"
                                   "Split s 1 3 a a0 a1 a2\n");
    auto engine = must_create(model, {}, {});
    ASSERT_TRUE(engine);
    ASSERT_EQ(engine->input_blobs(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(engine->input_shape_hints()[0].w, 4);
    EXPECT_EQ(engine->input_shape_hints()[0].c, 3);
    EXPECT_EQ(engine->input_shape_hints()[1].dims, 0);

    const Tensor in = ramp3(4, 2, 3);
    std::vector<std::string> seen;
    Status st = engine->run({in, Tensor::make1(5)}, {}, [&](const std::string& name, const Tensor& t) {
        seen.push_back(name);
        if (name != "b") {
            EXPECT_TRUE(t.same_shape(in)) << name;
            EXPECT_EQ(t.data, in.data) << name;
        }
        return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "a0", "a1", "a2"}));
}

TEST(EnginePlan, RunsOnlyWhatTheWantedBlobsNeed)
{
    // 'u' is an unsupported custom type on a path nobody wants: no error.
    const Model model = must_build("7767517\n3 4\n"
                                   "Input in 0 1 a\n"
                                   "Split s 1 2 a a0 a1\n"
                                   "MyCustomLayer u 1 1 a1 z\n");
    auto engine = must_create(model, {}, {"a0"});
    ASSERT_TRUE(engine);
    EXPECT_EQ(engine->planned_layer_count(), 1u);
    int calls = 0;
    Status st = engine->run({ramp3(2, 2, 1)}, {"a0"}, [&](const std::string& name, const Tensor&) {
        EXPECT_EQ(name, "a0");
        calls++;
        return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(calls, 1);
    // A blob outside create()'s list is refused by run().
    EXPECT_FALSE(engine->run({ramp3(2, 2, 1)}, {"a1"}, nullptr).is_ok());
}

TEST(EnginePlan, UnsupportedTypesAreListedInOneError)
{
    const Model model = must_build("7767517\n4 4\n"
                                   "Input in 0 1 a\n"
                                   "MyCustomLayer u1 1 1 a b\n"
                                   "OtherCustom u2 1 1 b c\n"
                                   "MyCustomLayer u3 1 1 c d\n");
    MemorySource src(nullptr, 0);
    auto made = Engine::create(model, src, "m.bin", {"d"});
    ASSERT_FALSE(made.is_ok());
    EXPECT_TRUE(engine::is_unsupported(made.status()));
    const std::string msg = made.status().message();
    EXPECT_TRUE(contains(msg, "MyCustomLayer ('u1', 'u3')")) << msg;
    EXPECT_TRUE(contains(msg, "OtherCustom ('u2')")) << msg;
    EXPECT_TRUE(contains(msg, "m.param")) << msg;
}

TEST(EnginePlan, BadRequestsFailWithAMessage)
{
    const Model model = must_build("7767517\n2 3\nInput in 0 1 a\nSplit s 1 2 a a0 a1\n");
    MemorySource src(nullptr, 0);
    auto made = Engine::create(model, src, "m.bin", {"nope"});
    ASSERT_FALSE(made.is_ok());
    EXPECT_TRUE(contains(made.status().message(), "'nope'"));
    auto engine = must_create(model, {}, {});
    ASSERT_TRUE(engine);
    EXPECT_FALSE(engine->run({}, {}, nullptr).is_ok()); // one Input, no input
    Status st = engine->run({ramp3(1, 1, 1)}, {}, [](const std::string&, const Tensor&) { return Status::failure("stop"); });
    EXPECT_EQ(st.message(), "stop");
}

} // namespace
} // namespace ncnn_int8::test
