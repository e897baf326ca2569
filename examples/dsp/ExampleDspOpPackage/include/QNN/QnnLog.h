/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * Logging: levels, errors and the callback a backend hands to packages.
 */
#ifndef QNN_LOG_H
#define QNN_LOG_H

#include <stdarg.h>
#include <stdint.h>

#include "QnnCommon.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  QNN_LOG_MIN_ERROR = QNN_MIN_ERROR_LOG,
  QNN_LOG_NO_ERROR = QNN_SUCCESS,
  QNN_LOG_ERROR_MEM_ALLOC = QNN_COMMON_ERROR_MEM_ALLOC,
  QNN_LOG_ERROR_INITIALIZATION = QNN_MIN_ERROR_LOG + 2,
  QNN_LOG_ERROR_INVALID_ARGUMENT = QNN_MIN_ERROR_LOG + 3,
  QNN_LOG_ERROR_INVALID_HANDLE = QNN_MIN_ERROR_LOG + 4,
  QNN_LOG_MAX_ERROR = QNN_MAX_ERROR_LOG,
  QNN_LOG_ERROR_UNDEFINED = 0x7FFFFFFF
} QnnLog_Error_t;

/* Verbosity, most severe first. */
typedef enum {
  QNN_LOG_LEVEL_ERROR = 1,
  QNN_LOG_LEVEL_WARN = 2,
  QNN_LOG_LEVEL_INFO = 3,
  QNN_LOG_LEVEL_VERBOSE = 4,
  QNN_LOG_LEVEL_DEBUG = 5,
  QNN_LOG_LEVEL_MAX = 0x7FFFFFFF
} QnnLog_Level_t;

/* printf-style sink: format, level, timestamp, and the format's arguments. */
typedef void (*QnnLog_Callback_t)(const char* fmt,
                                  QnnLog_Level_t level,
                                  uint64_t timestamp,
                                  va_list args);

/* Backend-side logger API; op packages receive a callback instead. */
QNN_API
Qnn_ErrorHandle_t QnnLog_create(QnnLog_Callback_t callback,
                                QnnLog_Level_t maxLogLevel,
                                Qnn_LogHandle_t* logger);

QNN_API
Qnn_ErrorHandle_t QnnLog_setLogLevel(Qnn_LogHandle_t logger, QnnLog_Level_t maxLogLevel);

QNN_API
Qnn_ErrorHandle_t QnnLog_free(Qnn_LogHandle_t logger);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_LOG_H */
