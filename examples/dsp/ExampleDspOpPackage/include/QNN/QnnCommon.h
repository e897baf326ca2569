/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * Common definitions: API version, error-code ranges, handle types.
 */
#ifndef QNN_COMMON_H
#define QNN_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Export attribute for entry points; build systems predefine it (for
 * instance to a default-visibility attribute). Empty otherwise. */
#ifndef QNN_API
#define QNN_API
#endif

/*
 * opgen portability helpers (not part of the vendor interface).
 *
 * QNN_OPGEN_ANONYMOUS prefixes the anonymous unions used by the interface
 * structs. Anonymous unions are standard in C11 and C++; for older C
 * dialects GNU compilers accept them as an extension.
 *
 * QNN_OPGEN_WIDE_ENUM_BEGIN/END bracket the few enums with an enumerator of
 * 0xFFFFFFFF, which ISO C before C23 flags under -pedantic although every
 * compiler we target gives such an enum a 32-bit unsigned representation.
 */
#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L)
#define QNN_OPGEN_ANONYMOUS
#elif defined(__GNUC__)
#define QNN_OPGEN_ANONYMOUS __extension__
#else
#define QNN_OPGEN_ANONYMOUS
#endif

#if defined(__GNUC__) && !defined(__cplusplus)
#define QNN_OPGEN_WIDE_ENUM_BEGIN \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wpedantic\"")
#define QNN_OPGEN_WIDE_ENUM_END _Pragma("GCC diagnostic pop")
#else
#define QNN_OPGEN_WIDE_ENUM_BEGIN
#define QNN_OPGEN_WIDE_ENUM_END
#endif

/* Core API version. */
#define QNN_API_VERSION_MAJOR 2
#define QNN_API_VERSION_MINOR 7
#define QNN_API_VERSION_PATCH 2

#define QNN_SUCCESS 0

/* Error-code ranges, one per API component. */
#define QNN_MIN_ERROR_COMMON 1000
#define QNN_MAX_ERROR_COMMON 1999
#define QNN_MIN_ERROR_PROPERTY 2000
#define QNN_MAX_ERROR_PROPERTY 2999
#define QNN_MIN_ERROR_OP_PACKAGE 3000
#define QNN_MAX_ERROR_OP_PACKAGE 3999
#define QNN_MIN_ERROR_BACKEND 4000
#define QNN_MAX_ERROR_BACKEND 4999
#define QNN_MIN_ERROR_BACKEND_SAVER 4950
#define QNN_MAX_ERROR_BACKEND_SAVER 4998
#define QNN_MIN_ERROR_CONTEXT 5000
#define QNN_MAX_ERROR_CONTEXT 5999
#define QNN_MIN_ERROR_GRAPH 6000
#define QNN_MAX_ERROR_GRAPH 6999
#define QNN_MIN_ERROR_TENSOR 7000
#define QNN_MAX_ERROR_TENSOR 7999
#define QNN_MIN_ERROR_MEM 8000
#define QNN_MAX_ERROR_MEM 8999
#define QNN_MIN_ERROR_SIGNAL 9000
#define QNN_MAX_ERROR_SIGNAL 9999
#define QNN_MIN_ERROR_ERROR 10000
#define QNN_MAX_ERROR_ERROR 10999
#define QNN_MIN_ERROR_LOG 11000
#define QNN_MAX_ERROR_LOG 11999
#define QNN_MIN_ERROR_PROFILE 12000
#define QNN_MAX_ERROR_PROFILE 12999
#define QNN_MIN_ERROR_PERF_INFRASTRUCTURE 13000
#define QNN_MAX_ERROR_PERF_INFRASTRUCTURE 13999
#define QNN_MIN_ERROR_DEVICE 14000
#define QNN_MAX_ERROR_DEVICE 14999
#define QNN_MIN_ERROR_SYSTEM 30000
#define QNN_MAX_ERROR_SYSTEM 49999
#define QNN_MIN_ERROR_INTERFACE 60000
#define QNN_MAX_ERROR_INTERFACE 60999

/* Status value returned by every API function; the error code proper is in
 * the low 16 bits. */
typedef uint64_t Qnn_ErrorHandle_t;

#define QNN_GET_ERROR_CODE(errorHandle) ((errorHandle) & 0xFFFF)

/* Opaque handles. */
typedef void* Qnn_Handle_t;
typedef Qnn_Handle_t Qnn_BackendHandle_t;
typedef Qnn_Handle_t Qnn_ContextHandle_t;
typedef Qnn_Handle_t Qnn_DeviceHandle_t;
typedef Qnn_Handle_t Qnn_GraphHandle_t;
typedef Qnn_Handle_t Qnn_LogHandle_t;
typedef Qnn_Handle_t Qnn_MemHandle_t;
typedef Qnn_Handle_t Qnn_ProfileHandle_t;
typedef Qnn_Handle_t Qnn_SignalHandle_t;

/* Errors shared by all components. */
typedef enum {
  QNN_COMMON_MIN_ERROR = QNN_MIN_ERROR_COMMON,
  QNN_COMMON_ERROR_NOT_SUPPORTED = QNN_MIN_ERROR_COMMON + 0,
  QNN_COMMON_ERROR_MEM_ALLOC = QNN_MIN_ERROR_COMMON + 2,
  QNN_COMMON_ERROR_SYSTEM = QNN_MIN_ERROR_COMMON + 3,
  QNN_COMMON_ERROR_INVALID_ARGUMENT = QNN_MIN_ERROR_COMMON + 4,
  QNN_COMMON_ERROR_OPERATION_NOT_PERMITTED = QNN_MIN_ERROR_COMMON + 5,
  QNN_COMMON_ERROR_PLATFORM_NOT_SUPPORTED = QNN_MIN_ERROR_COMMON + 6,
  QNN_COMMON_ERROR_SYSTEM_COMMUNICATION = QNN_MIN_ERROR_COMMON + 7,
  QNN_COMMON_ERROR_INCOMPATIBLE_BINARIES = QNN_MIN_ERROR_COMMON + 8,
  QNN_COMMON_ERROR_LOADING_BINARIES = QNN_MIN_ERROR_COMMON + 9,
  QNN_COMMON_ERROR_RESOURCE_UNAVAILABLE = QNN_MIN_ERROR_COMMON + 10,
  QNN_COMMON_ERROR_GENERAL = QNN_MIN_ERROR_COMMON + 100,
  QNN_COMMON_MAX_ERROR = QNN_MAX_ERROR_COMMON,
  QNN_COMMON_ERROR_UNDEFINED = 0x7FFFFFFF
} QnnCommon_Error_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_COMMON_H */
