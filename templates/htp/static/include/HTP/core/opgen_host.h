// opgen-owned file: opgen's host emulation of the HTP op-writing API (SDK 2.13 surface).
//
// Design note. HTP op packages are written against the HTP core headers (HTP/core/*.h). To build
// and test them on a plain Linux host (g++ or clang++, no vendor SDK, no Hexagon tools), opgen
// ships its own headers under the same include paths, written from documented facts only:
//  * Tensors: Tensor -> RankedTensor<R> -> LayoutTensor<Linfo> -> ConcreteTensor<Tinfo>, with the
//    flat types (PlainFloatTensor, QuantUint8Tensor, ..., their *_TCM twins as distinct types)
//    fully working: dims, set_dims (checks, never resizes), element access through the
//    quantizing accessors, get_raw, raw_data, interface_scale/offset. Indices are bounds-checked.
//  * Crouton layouts and HVX exist as names only: using them stops compilation with a message
//    that says how to guard the code (#ifndef OPGEN_HTP_HOST_EMULATION).
//  * Registration: DEF_PACKAGE_OP* record each function, its argument types, cost and flags in a
//    per-op-file table; DECLARE_PKG_OPS_OPTS_LIST in the interface file orders the files, as on
//    the device; DEF_PACKAGE_PARAM_ORDER records names, mandatory flags and defaults.
//    DEF_PACKAGE_OPTIMIZATION* and DEF_TENSOR_PROPERTIES are accepted and ignored (counted).
//  * END_PKG_OPS_OPTS_LIST() also defines the opgen host entry points (opgen_host_abi.h) through
//    which opgen's runtime lists the registry and runs one registration on flat buffers.
// All internals live in namespace opgen_htp with hidden visibility, so several packages can be
// loaded into one process.
#ifndef OPGEN_HTP_HOST_H
#define OPGEN_HTP_HOST_H

#if __cplusplus < 201703L
#error "opgen HTP host emulation: op packages are C++17 (compile with -std=c++17)"
#endif

#define OPGEN_HTP_HOST_EMULATION 1

#ifndef THIS_PKG_NAME_STR
#ifdef THIS_PKG_NAME
#define OPGEN_HTP_STR2_(x) #x
#define OPGEN_HTP_STR_(x) OPGEN_HTP_STR2_(x)
#define THIS_PKG_NAME_STR OPGEN_HTP_STR_(THIS_PKG_NAME)
#else
#define THIS_PKG_NAME_STR ""
#endif
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "HTP/core/conversions.h"
#include "HTP/core/dtype.h"
#include "HTP/core/float16.h"
#include "HTP/core/graph_status.h"
#include "HTP/core/intrinsics.h"
#include "HTP/core/log.h"
#include "HTP/core/op.h"
#include "HTP/core/opgen_host_entry.h"
#include "HTP/core/opgen_registry.h"
#include "HTP/core/tensor.h"

// ---- op files -------------------------------------------------------------------------------------

// First thing in an op file, followed by `;`.
#define BEGIN_PKG_OP_DEFINITION(NAME)                     \
  namespace {                                             \
  inline ::opgen_htp::OpFileTable& opgen_htp_file_table() { \
    static ::opgen_htp::OpFileTable table;                \
    return table;                                         \
  }                                                       \
  }                                                       \
  static_assert(true, #NAME)

// Last thing in an op file, followed by `;`.
#define END_PKG_OP_DEFINITION(NAME)                                                              \
  namespace opgen_htp_tables {                                                                   \
  __attribute__((visibility("hidden"))) const ::opgen_htp::OpFileTable* NAME##_ops_table();     \
  const ::opgen_htp::OpFileTable* NAME##_ops_table() { return &opgen_htp_file_table(); }         \
  }                                                                                              \
  static_assert(true, #NAME)

#define OPGEN_HTP_DEF_OP_(F, OP, COST, COST_F, ...)                                                \
  namespace {                                                                                      \
  const ::opgen_htp::OpRegistrar OPGEN_HTP_UNIQUE_(opgen_htp_op_)(                                 \
      opgen_htp_file_table(), F, OP, #F, COST, COST_F, ::opgen_htp::flag_word(__VA_ARGS__), __FILE__, \
      __LINE__);                                                                                   \
  }

// Cost GLACIAL, flag RESOURCE_HVX. F may be parenthesised when it contains commas.
#define DEF_PACKAGE_OP(F, OP) OPGEN_HTP_DEF_OP_(F, OP, StandardCosts::GLACIAL, nullptr, Flags::RESOURCE_HVX)
// COST is GLACIAL, SNAIL, FAST or FREE; zero or more Flags::X follow.
#define DEF_PACKAGE_OP_AND_COST_AND_FLAGS(F, OP, COST, ...) \
  OPGEN_HTP_DEF_OP_(F, OP, StandardCosts::COST, nullptr, ##__VA_ARGS__)
// COST_F is a float(const Op*) evaluated per node.
#define DEF_PACKAGE_OP_AND_COST_F_AND_FLAGS(F, OP, COST_F, ...) \
  OPGEN_HTP_DEF_OP_(F, OP, StandardCosts::GLACIAL, COST_F, ##__VA_ARGS__)

// DEF_PACKAGE_PARAM_ORDER(OP, name, mandatory, default, ...): default is &Qnn_Param_t or nullptr.
#define DEF_PACKAGE_PARAM_ORDER(OP, ...)                                                     \
  namespace {                                                                                \
  const ::opgen_htp::ParamOrderRegistrar OPGEN_HTP_UNIQUE_(opgen_htp_params_)(OP, __VA_ARGS__); \
  }

// Optimization rules and tensor properties need the graph optimizer: accepted and ignored.
#define OPGEN_HTP_IGNORED_(...) \
  namespace {                  \
  const ::opgen_htp::IgnoredRule OPGEN_HTP_UNIQUE_(opgen_htp_rule_);  \
  }
#define DEF_PACKAGE_OPTIMIZATION(...) OPGEN_HTP_IGNORED_()
#define DEF_PACKAGE_OPTIMIZATION_WITH_FLAGS(...) OPGEN_HTP_IGNORED_()
#define DEF_TENSOR_PROPERTIES(...) OPGEN_HTP_IGNORED_()
#define DEF_OPTIM(...) OPGEN_HTP_IGNORED_()

// ---- the interface file -----------------------------------------------------------------------------

#define DEFINE_UNIQ_TY() \
  namespace {            \
  template <int>         \
  struct UniqTy {};      \
  }

#define BEGIN_PKG_OPS_OPTS_LIST()                                                  \
  namespace {                                                                      \
  inline std::vector<::opgen_htp::DeclaredFile>& opgen_htp_declared_files() {      \
    static std::vector<::opgen_htp::DeclaredFile> files;                           \
    return files;                                                                  \
  }                                                                                \
  }

// One per op file, in registration order; a name without a file registers nothing.
#define DECLARE_PKG_OPS_OPTS_LIST(NAME)                                                                 \
  namespace opgen_htp_tables {                                                                          \
  __attribute__((weak, visibility("hidden"))) const ::opgen_htp::OpFileTable* NAME##_ops_table();       \
  }                                                                                                     \
  namespace {                                                                                           \
  const ::opgen_htp::DeclaredFileRegistrar OPGEN_HTP_UNIQUE_(opgen_htp_file_)(opgen_htp_declared_files(), \
                                                                              #NAME,                    \
                                                                              &opgen_htp_tables::NAME##_ops_table); \
  }

#define END_PKG_OPS_OPTS_LIST() OPGEN_HTP_DEFINE_HOST_ENTRY_POINTS_()

#define INIT_PACKAGE_OP_DEF() \
  OPGEN_HTP_EXPORT_ void clearPackageOpsStorageVecFunc(void) {}
#define INIT_PACKAGE_OPTIMIZATION_DEF() \
  OPGEN_HTP_EXPORT_ void clearPackageOptStorageVecFunc(void) {}
#define INIT_PACKAGE_PARAM_ORDER_DEF() \
  OPGEN_HTP_EXPORT_ void clearPackageParamOrderStorageMapFunc(void) {}
#define LIST_PACKAGE_AXIS_PARAMS(...)                                                                 \
  namespace {                                                                                         \
  const ::opgen_htp::NameListRegistrar OPGEN_HTP_UNIQUE_(opgen_htp_axis_)(::opgen_htp::axis_param_store(), \
                                                                          {__VA_ARGS__});             \
  }                                                                                                   \
  OPGEN_HTP_EXPORT_ void clearPackageParamAxesSetFunc(void) {}
#define LIST_PACKAGE_PER_CHANNEL_QUANTIZED_OPS(...)                                                  \
  namespace {                                                                                        \
  const ::opgen_htp::NameListRegistrar OPGEN_HTP_UNIQUE_(opgen_htp_pcq_)(::opgen_htp::per_channel_store(), \
                                                                         {__VA_ARGS__});             \
  }                                                                                                  \
  OPGEN_HTP_EXPORT_ void clearPackagePerChannelQuantizedOpsSetFunc(void) {}

// Statements inside <Package>Init: the host registry needs no registration step.
#define REGISTER_PACKAGE_OPS() {}
#define REGISTER_PACKAGE_OPTIMIZATIONS() {}
#define REGISTER_PACKAGE_PARAM_ORDERS() {}
#define REGISTER_PACKAGE_AXIS_PARAMS() {}
#define REGISTER_PACKAGE_PER_CHANNEL_QUANTIZED_OPS() {}

// Newer SDKs: op_pkg_init(PackageOpIf&) names the package.
typedef void (*PackageOpTermFn_t)();
struct PackageOpIf {
  const char* _name;
  PackageOpTermFn_t _term;
};
typedef GraphStatus (*PackageOpInitFn_t)(PackageOpIf&);
#define INIT_PKG_CORE_INIT_FUNC()                                       \
  OPGEN_HTP_EXPORT_ int op_pkg_init(PackageOpIf* pkg_if);               \
  OPGEN_HTP_EXPORT_ int op_pkg_init(PackageOpIf* pkg_if) {              \
    if (pkg_if != nullptr) pkg_if->_name = THIS_PKG_NAME_STR;            \
    return 0;                                                           \
  }

#endif  // OPGEN_HTP_HOST_H
