/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the legacy
 * UDO interface used by QNN DSP (Hexagon v65/v66) op packages (UDO API 1.6.0,
 * SDK 2.13 surface). Written by the opgen authors from documented names,
 * values and layouts only.
 *
 * The UDO implementation-library interface: opaque factory and operation
 * handles and the function types a runtime calls through. The SnpeUdo_*
 * library-level functions are declared for completeness; QNN DSP op
 * packages do not define them.
 */
#ifndef SNPE_UDO_IMPL_H
#define SNPE_UDO_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "DSP/Udo/UdoShared.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque handles: each library completes the tags with its own structs. */
typedef struct _SnpeUdo_OpFactory_t* SnpeUdo_OpFactory_t;
typedef struct _SnpeUdo_Operation_t* SnpeUdo_Operation_t;
typedef SnpeUdo_OpFactory_t Udo_OpFactory_t;
typedef SnpeUdo_Operation_t Udo_Operation_t;

/* Library set-up; globalInfrastructure is the core's infrastructure struct
 * (for the DSP, SnpeUdo_DspGlobalInfrastructure_t). */
SnpeUdo_ErrorType_t SnpeUdo_initImplLibrary(void* globalInfrastructure);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_InitImplLibraryFunction_t)(void*);

SnpeUdo_ErrorType_t SnpeUdo_getImplVersion(SnpeUdo_LibVersion_t** version);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_getImplVersion_t)(SnpeUdo_LibVersion_t** version);

SnpeUdo_ErrorType_t SnpeUdo_terminateImplLibrary(void);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_TerminateImplLibraryFunction_t)(void);

SnpeUdo_ErrorType_t SnpeUdo_getImpInfo(SnpeUdo_ImpInfo_t** implementationInfo);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_GetImpInfoFunction_t)(SnpeUdo_ImpInfo_t** implementationInfo);
typedef SnpeUdo_GetImpInfoFunction_t Udo_GetImpInfoFunction_t;

/* Makes a factory for one operation type and its static params. */
SnpeUdo_ErrorType_t SnpeUdo_createOpFactory(SnpeUdo_CoreType_t udoCoreType,
                                            void* perFactoryInfrastructure,
                                            SnpeUdo_String_t operationType,
                                            uint32_t numOfStaticParams,
                                            SnpeUdo_Param_t* staticParams,
                                            SnpeUdo_OpFactory_t* opFactory);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_CreateOpFactoryFunction_t)(SnpeUdo_CoreType_t, void*,
                                                                 SnpeUdo_String_t, uint32_t,
                                                                 SnpeUdo_Param_t*,
                                                                 SnpeUdo_OpFactory_t*);
typedef SnpeUdo_CreateOpFactoryFunction_t Udo_CreateOpFactoryFunction_t;

SnpeUdo_ErrorType_t SnpeUdo_releaseOpFactory(SnpeUdo_OpFactory_t opFactory);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_ReleaseOpFactoryFunction_t)(SnpeUdo_OpFactory_t);
typedef SnpeUdo_ReleaseOpFactoryFunction_t Udo_ReleaseOpFactoryFunction_t;

/* Makes an operation from a factory and its input and output tensors. */
SnpeUdo_ErrorType_t SnpeUdo_createOperation(SnpeUdo_OpFactory_t opFactory,
                                            void* perOpInfrastructure, uint32_t numOfInputs,
                                            SnpeUdo_TensorParam_t* inputs, uint32_t numOfOutputs,
                                            SnpeUdo_TensorParam_t* outputs,
                                            SnpeUdo_Operation_t* operation);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_CreateOperationFunction_t)(SnpeUdo_OpFactory_t, void*,
                                                                 uint32_t,
                                                                 SnpeUdo_TensorParam_t*,
                                                                 uint32_t,
                                                                 SnpeUdo_TensorParam_t*,
                                                                 SnpeUdo_Operation_t*);
typedef SnpeUdo_CreateOperationFunction_t Udo_CreateOperationFunction_t;

/* Called with the execute call's ID when a non-blocking execution ends. */
typedef SnpeUdo_ErrorType_t (*SnpeUdo_ExternalNotify_t)(const uint32_t ID);
typedef SnpeUdo_ExternalNotify_t Udo_ExternalNotify_t;

SnpeUdo_ErrorType_t SnpeUdo_executeOp(SnpeUdo_Operation_t operation, bool blocking,
                                      const uint32_t ID, SnpeUdo_ExternalNotify_t notifyFunc);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_ExecuteOpFunction_t)(SnpeUdo_Operation_t, bool,
                                                           const uint32_t,
                                                           SnpeUdo_ExternalNotify_t);
typedef SnpeUdo_ExecuteOpFunction_t Udo_ExecuteOpFunction_t;

SnpeUdo_ErrorType_t SnpeUdo_setOpIO(SnpeUdo_Operation_t operation, SnpeUdo_TensorParam_t* inputs,
                                    SnpeUdo_TensorParam_t* outputs);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_SetOpIOFunction_t)(SnpeUdo_Operation_t,
                                                         SnpeUdo_TensorParam_t*,
                                                         SnpeUdo_TensorParam_t*);
typedef SnpeUdo_SetOpIOFunction_t Udo_SetOpIOFunction_t;

/* Execution time of the last run, in microseconds. */
SnpeUdo_ErrorType_t SnpeUdo_profileOp(SnpeUdo_Operation_t operation, uint32_t* executionTime);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_ProfileOpFunction_t)(SnpeUdo_Operation_t, uint32_t*);
typedef SnpeUdo_ProfileOpFunction_t Udo_ProfileOpFunction_t;

SnpeUdo_ErrorType_t SnpeUdo_releaseOp(SnpeUdo_Operation_t operation);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_ReleaseOpFunction_t)(SnpeUdo_Operation_t);
typedef SnpeUdo_ReleaseOpFunction_t Udo_ReleaseOpFunction_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SNPE_UDO_IMPL_H */
