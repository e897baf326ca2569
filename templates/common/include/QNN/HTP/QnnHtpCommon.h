/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * HTP backend identity and API version.
 */
#ifndef QNN_HTP_COMMON_H
#define QNN_HTP_COMMON_H

#include "QnnCommon.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QNN_BACKEND_ID_HTP 6

#define QNN_HTP_API_VERSION_MAJOR 5
#define QNN_HTP_API_VERSION_MINOR 13
#define QNN_HTP_API_VERSION_PATCH 0

/* Qnn_ApiVersion_t initializer: {core API version, HTP API version}. */
#define QNN_HTP_API_VERSION_INIT                                               \
  {                                                                            \
    { QNN_API_VERSION_MAJOR, QNN_API_VERSION_MINOR, QNN_API_VERSION_PATCH },   \
    { QNN_HTP_API_VERSION_MAJOR, QNN_HTP_API_VERSION_MINOR,                    \
      QNN_HTP_API_VERSION_PATCH }                                              \
  }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_HTP_COMMON_H */
