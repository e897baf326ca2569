/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * GPU backend identity and API version.
 */
#ifndef QNN_GPU_COMMON_H
#define QNN_GPU_COMMON_H

#include "QnnCommon.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QNN_BACKEND_ID_GPU 4

#define QNN_GPU_API_VERSION_MAJOR 3
#define QNN_GPU_API_VERSION_MINOR 2
#define QNN_GPU_API_VERSION_PATCH 0

/* Qnn_ApiVersion_t initializer: {core API version, GPU API version}. */
#define QNN_GPU_API_VERSION_INIT                                               \
  {                                                                            \
    { QNN_API_VERSION_MAJOR, QNN_API_VERSION_MINOR, QNN_API_VERSION_PATCH },   \
    { QNN_GPU_API_VERSION_MAJOR, QNN_GPU_API_VERSION_MINOR,                    \
      QNN_GPU_API_VERSION_PATCH }                                              \
  }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_GPU_COMMON_H */
