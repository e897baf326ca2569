/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * DSP backend identity and API version.
 */
#ifndef QNN_DSP_COMMON_H
#define QNN_DSP_COMMON_H

#include "QnnCommon.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QNN_BACKEND_ID_DSP 5

#define QNN_DSP_API_VERSION_MAJOR 5
#define QNN_DSP_API_VERSION_MINOR 0
#define QNN_DSP_API_VERSION_PATCH 1

/* Qnn_ApiVersion_t initializer: {core API version, DSP API version}. */
#define QNN_DSP_API_VERSION_INIT                                               \
  {                                                                            \
    { QNN_API_VERSION_MAJOR, QNN_API_VERSION_MINOR, QNN_API_VERSION_PATCH },   \
    { QNN_DSP_API_VERSION_MAJOR, QNN_DSP_API_VERSION_MINOR,                    \
      QNN_DSP_API_VERSION_PATCH }                                              \
  }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_DSP_COMMON_H */
