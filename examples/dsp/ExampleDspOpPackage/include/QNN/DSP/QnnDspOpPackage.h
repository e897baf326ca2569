/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * DSP backend side of the op-package interface: the global infrastructure
 * (a pointer to the UDO DSP infrastructure) and the per-operation info whose
 * UDO function pointers the backend calls. Include at most one backend's
 * op-package header per translation unit: each completes the same opaque
 * struct tags from QnnOpPackage.h.
 */
#ifndef QNN_DSP_OP_PACKAGE_H
#define QNN_DSP_OP_PACKAGE_H

#include <stdint.h>

#include "DSP/QnnDspCommon.h"
#include "DSP/Udo/UdoImplDsp.h"
#include "QnnOpPackage.h"
#include "QnnTypes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Passed to init. Unlike HTP, a DSP package dereferences it. */
typedef struct _QnnOpPackage_GlobalInfrastructure_t {
  Udo_DspGlobalInfrastructure_t* dspGlobalInfra;
} QnnDspOpPackage_GlobalInfrastructure_t;

/* One entry of QnnOpPackage_Info_t.operationInfo (which points at an array of
 * pointers to these, parallel to operationNames). */
typedef struct _QnnOpPackage_OperationInfo_t {
  char* opType;
  uint32_t numOfStaticParams;
  uint32_t numOfInputs;
  uint32_t numOfOutputs;
  Udo_CreateOpFactoryFunction_t createOpFactory;
  Udo_CreateOperationFunction_t createOperation;
  Udo_ExecuteOpFunction_t executeOp;
  Udo_ReleaseOpFunction_t releaseOp;
  Udo_ReleaseOpFactoryFunction_t releaseOpFactory;
  Udo_ValidateOperationFunction_t validateOp;
  Udo_QueryOperationFunction_t queryOp;
} QnnDspOpPackage_OperationInfo_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_DSP_OP_PACKAGE_H */
