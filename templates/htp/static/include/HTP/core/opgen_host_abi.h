/* opgen-owned file: part of opgen's host emulation of the HTP op-writing API.
 *
 * The opgen HTP host ABI, version 1: how opgen's companion runtime finds and runs the ops of an
 * HTP op package built against the emulation (the real HTP backend finds ops through its own
 * registry, so the package's createOpImpl is NULL).
 *
 * A package built against these headers exports, from the translation unit that holds
 * END_PKG_OPS_OPTS_LIST() (the package's interface file), three C functions:
 *
 *   const OpgenHtpRegistry* opgen_htp_registry(void);
 *       The package's registry: every DEF_PACKAGE_OP registration (op name, function, argument
 *       types, fixed cost or cost function, flags) in registration order (DECLARE_PKG_OPS_OPTS_LIST
 *       order, then order within each op file), the DEF_PACKAGE_PARAM_ORDER entries with their
 *       defaults, the axis and per-channel lists. Built on the first call; valid until unload.
 *
 *   int32_t opgen_htp_cost(uint32_t registration, uint32_t num_outputs, const OpgenHtpTensor* outputs,
 *                          uint32_t num_inputs, const OpgenHtpTensor* inputs, double* cost,
 *                          char* messages, uint32_t messages_size);
 *       The registration's cost for this node: its fixed cost, or its cost function called on
 *       the node's tensors.
 *
 *   int32_t opgen_htp_execute(uint32_t registration, uint32_t num_outputs,
 *                             const OpgenHtpTensor* outputs, uint32_t num_inputs,
 *                             const OpgenHtpTensor* inputs, char* messages, uint32_t messages_size);
 *       Runs the registration's function once on the tensors (outputs first, then the node's
 *       inputs followed by its params in param order, each backfilled to rank 4 by the caller).
 *
 * Both return a GraphStatus code (0 = Success) and write into `messages` (NUL-terminated,
 * truncated to messages_size) one line per message the op logged or the emulation raised:
 * "<NNLogLevel>\t<text>\n". A C++ exception escaping the op returns ErrorFatalException (99).
 * Tensors are flat (row-major, no padding); `data` must hold at least the elements' bytes.
 * The structures below use fixed-width fields only; opgen/runtime/abi/htp.py mirrors them and
 * tests/runtime/test_htp_abi_layout.py checks the mirror against the compiler.
 */
#ifndef OPGEN_HTP_HOST_ABI_H
#define OPGEN_HTP_HOST_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "QnnTypes.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OPGEN_HTP_HOST_ABI_VERSION 1u
#define OPGEN_HTP_MAX_RANK 6u

/* What an op function argument accepts (OpgenHtpArgInfo.kind). */
#define OPGEN_HTP_ARG_GENERIC 0u /* Tensor: any flat tensor the runtime gives */
#define OPGEN_HTP_ARG_FLAT 1u    /* a flat concrete type: exactly its dtype and rank */
#define OPGEN_HTP_ARG_CHUNKED 2u /* crouton / depth-32 layouts: never runnable on the host */
#define OPGEN_HTP_ARG_SHAPE 3u   /* TensorShape<R>: produced by rules only */
#define OPGEN_HTP_ARG_SCALAR 4u  /* TensorScalar / TensorSclrDT: produced by rules only */

typedef struct OpgenHtpArgInfo {
  const char* type_name; /* "PlainFloatTensor", "Tensor", ... */
  const char* tag;       /* the type tag: "ff", "fB", "t", ... */
  uint32_t is_output;    /* non-const reference */
  uint32_t kind;         /* OPGEN_HTP_ARG_* */
  uint32_t dtype;        /* DType code; 0 (UNKNOWN) for Tensor */
  uint32_t rank;         /* 0 for Tensor */
  uint32_t memory_class; /* 0 main memory, 1 TCM */
  uint32_t reserved;
} OpgenHtpArgInfo;

typedef struct OpgenHtpRegistration {
  const char* op_name;          /* as given to DEF_PACKAGE_OP, without the package prefix */
  const char* function;         /* the registered function as written in the macro */
  const char* type_suffix;      /* "@tag.tag..." over all arguments (a diagnostic key) */
  const char* file;             /* the op file */
  uint32_t line;
  uint32_t num_outputs;
  uint32_t num_inputs;          /* node inputs plus params */
  uint32_t has_cost_function;   /* 1: ask opgen_htp_cost; 0: `cost` is the cost */
  double cost;
  uint64_t flags;               /* bit (1 << Flags::X) per flag */
  const OpgenHtpArgInfo* args;  /* num_outputs + num_inputs entries, outputs first */
} OpgenHtpRegistration;

typedef struct OpgenHtpParamOrderEntry {
  const char* name;
  uint32_t mandatory;
  uint32_t reserved;
  const Qnn_Param_t* default_value; /* NULL: none (an optional param is then skipped) */
} OpgenHtpParamOrderEntry;

typedef struct OpgenHtpParamOrder {
  const char* op_name;
  uint32_t num_entries;
  uint32_t reserved;
  const OpgenHtpParamOrderEntry* entries;
} OpgenHtpParamOrder;

typedef struct OpgenHtpRegistry {
  uint32_t abi_version; /* OPGEN_HTP_HOST_ABI_VERSION */
  uint32_t struct_size; /* sizeof(OpgenHtpRegistry) */
  const char* package_name; /* THIS_PKG_NAME_STR */
  uint32_t num_registrations;
  uint32_t num_param_orders;
  const OpgenHtpRegistration* registrations;
  const OpgenHtpParamOrder* param_orders;
  uint32_t num_axis_params;
  uint32_t num_per_channel_ops;
  const char* const* axis_params;
  const char* const* per_channel_ops;
  uint32_t num_ignored_rules;    /* DEF_PACKAGE_OPTIMIZATION* / DEF_TENSOR_PROPERTIES seen */
  uint32_t num_empty_declarations;
  const char* const* empty_declarations; /* DECLARE_PKG_OPS_OPTS_LIST names with no op file */
} OpgenHtpRegistry;

typedef struct OpgenHtpTensor {
  uint32_t dtype; /* DType code */
  uint32_t rank;
  uint32_t dims[OPGEN_HTP_MAX_RANK];
  void* data;
  uint64_t data_size;  /* bytes available at data */
  float scale;         /* quantized types; 1.0 otherwise */
  int32_t zero_offset; /* HTP's convention: real = (q - zero_offset) * scale */
} OpgenHtpTensor;

typedef const OpgenHtpRegistry* (*OpgenHtpRegistryFn_t)(void);
typedef int32_t (*OpgenHtpCostFn_t)(uint32_t, uint32_t, const OpgenHtpTensor*, uint32_t,
                                    const OpgenHtpTensor*, double*, char*, uint32_t);
typedef int32_t (*OpgenHtpExecuteFn_t)(uint32_t, uint32_t, const OpgenHtpTensor*, uint32_t,
                                       const OpgenHtpTensor*, char*, uint32_t);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPGEN_HTP_HOST_ABI_H */
