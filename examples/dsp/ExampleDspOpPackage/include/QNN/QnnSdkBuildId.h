/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * Identifier of the SDK release this interface surface corresponds to.
 */
#ifndef QNN_SDK_BUILD_ID_H
#define QNN_SDK_BUILD_ID_H

#ifdef __cplusplus
extern "C" {
#endif

#define QNN_SDK_BUILD_ID "v2.13.0.230725130242_60412"

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_SDK_BUILD_ID_H */
