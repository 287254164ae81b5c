// ncnn's list expressions (Reshape's shape_expr):
// load_param evaluates shape_expr with empty reference blobs to learn the
// output rank, and fails on a malformed literal or an integer `//` by zero.
#pragma once

#include <string>

namespace ncnn_int8 {

// Whether ncnn's load_param accepts `expr` (evaluated as ncnn's
// eval_list_expression does, with empty reference blobs). Stack underflow
// and INT_MIN // -1 (undefined behaviour in ncnn) are refused too. An empty
// expression is accepted (the layer then uses its w/h/d/c params).
bool shape_expr_loads(const std::string& expr);

} // namespace ncnn_int8
