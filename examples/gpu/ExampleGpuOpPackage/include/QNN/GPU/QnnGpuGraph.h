/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * GPU graph settings, reduced to what the op-package interface uses: the
 * precision mode a graph runs in.
 */
#ifndef QNN_GPU_GRAPH_H
#define QNN_GPU_GRAPH_H

#include "GPU/QnnGpuCommon.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  QNN_GPU_PRECISION_FP32 = 0,
  QNN_GPU_PRECISION_FP16 = 1,
  QNN_GPU_PRECISION_HYBRID = 2,
  QNN_GPU_PRECISION_USER_PROVIDED = 3
} QnnGpu_Precision_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_GPU_GRAPH_H */
