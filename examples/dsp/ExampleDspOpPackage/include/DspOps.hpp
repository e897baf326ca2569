// opgen-owned file, generated for op package ExampleDspOpPackage (DSP) from ExampleDspOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// Types shared by the op files (src/ops/*.cpp) and the interface of ExampleDspOpPackage, with the
// vendor's names, so op files written for the vendor's generator compile unchanged: the per-op
// function-pointer types, the dispatch table each op file's new_<op>() returns (UdoDspShared),
// the factory and operation records, and per op its factory with its typed parameters.
#ifndef OPGEN_DSP_OPS_ExampleDspOpPackage_HPP
#define OPGEN_DSP_OPS_ExampleDspOpPackage_HPP

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "DSP/QnnDspOpPackage.h"
#include "opgen/DspOpSupport.hpp"

typedef Udo_ErrorType_t (*fptrQueryOperation)(Udo_String_t, uint32_t, const Udo_Param_t*,
                                              uint32_t*, Udo_QuantizationType_t**,
                                              Udo_HexNNTensorLayout_t**, uint32_t*,
                                              Udo_QuantizationType_t**,
                                              Udo_HexNNTensorLayout_t**);
typedef Udo_ErrorType_t (*fptrValidateOperation)(Udo_String_t, uint32_t, const Udo_Param_t*);
typedef Udo_ErrorType_t (*fptrCreateOpFactory)(QnnOpPackage_GlobalInfrastructure_t,
                                               Udo_CoreType_t, void*, Udo_String_t, uint32_t,
                                               Udo_Param_t*, Udo_OpFactory_t*);
typedef Udo_ErrorType_t (*fptrReleaseOpFactory)(QnnOpPackage_GlobalInfrastructure_t,
                                                Udo_OpFactory_t);
typedef Udo_ErrorType_t (*fptrExecuteOp)(QnnOpPackage_GlobalInfrastructure_t, Udo_Operation_t,
                                         bool, const uint32_t, Udo_ExternalNotify_t);

// What an op file's new_<op>() returns and free_<op>() releases.
typedef struct UdoDspShared {
  char* opType;
  uint32_t numOfStaticParams;
  uint32_t numOfInputs;
  uint32_t numOfOutputs;
  fptrQueryOperation queryOp;
  fptrValidateOperation validateOp;
  fptrCreateOpFactory createOpFactory;
  fptrReleaseOpFactory releaseOpFactory;
  fptrExecuteOp executeOp;
} UdoDspShared_t;

// The leading member of every op's factory: the interface finds an op by it.
typedef struct OpFactory {
  Udo_String_t opType;
} OpFactory_t;

// An operation, made by the interface's CreateOperation. The tensor arrays are the caller's
// (kept by pointer, valid until the operation is released); opInfra goes back to the per-op
// services (udoSetOutputTensorSize, udoRunWorkerThreads).
typedef struct OpParams {
  Udo_OpFactory_t opFactory;
  uint32_t numInputParams;
  Udo_TensorParam_t* InputParams;
  uint32_t numOutputParams;
  Udo_TensorParam_t* outputParams;
  Udo_HexNNv2OpInfra_t opInfra;
} OpParams_t;

// ---- op Relu -------------------------------------------------------------------------
// Rectified linear unit on 8-bit TF-quantized data: out = max(in, 0), requantized to the output's range.
// Parameters of Relu, read from its static params by relu_readParams (defaults
// applied when a node omits an optional one; an omitted optional tensor without default is null).
typedef struct reluParams {
  char unused;  // the op has no parameters
} reluParams_t;

// The factory: the vendor's fields, then the typed parameters.
typedef struct reluOpFactory {
  Udo_String_t opType;
  uint32_t numOfStaticParams;
  Udo_Param_t* staticParams;
  reluParams_t params;
} reluOpFactory_t;

// Checks the static params against the declaration and, when `params` is not null, fills it
// (tensor params point into `staticParams`). Defined in src/ExampleDspOpPackageInterface.cpp.
Udo_ErrorType_t relu_readParams(uint32_t numOfStaticParams, const Udo_Param_t* staticParams, reluParams_t* params);

// Defined by src/ops/Relu.cpp.
UdoDspShared* new_relu(QnnOpPackage_GlobalInfrastructure_t globalInfra);
Udo_ErrorType_t free_relu(QnnOpPackage_GlobalInfrastructure_t globalInfra, UdoDspShared* opInfo);

// ---- op Scale -------------------------------------------------------------------------
// Multiplies a float tensor by a scalar and adds a bias: out = in * scale + bias.
// Parameters of Scale, read from its static params by scale_readParams (defaults
// applied when a node omits an optional one; an omitted optional tensor without default is null).
typedef struct scaleParams {
  float scale;  // FLOAT_32; rank SCALAR; mandatory
  float bias;  // FLOAT_32; rank SCALAR; default 0.0
} scaleParams_t;

// The factory: the vendor's fields, then the typed parameters.
typedef struct scaleOpFactory {
  Udo_String_t opType;
  uint32_t numOfStaticParams;
  Udo_Param_t* staticParams;
  scaleParams_t params;
} scaleOpFactory_t;

// Checks the static params against the declaration and, when `params` is not null, fills it
// (tensor params point into `staticParams`). Defined in src/ExampleDspOpPackageInterface.cpp.
Udo_ErrorType_t scale_readParams(uint32_t numOfStaticParams, const Udo_Param_t* staticParams, scaleParams_t* params);

// Defined by src/ops/Scale.cpp.
UdoDspShared* new_scale(QnnOpPackage_GlobalInfrastructure_t globalInfra);
Udo_ErrorType_t free_scale(QnnOpPackage_GlobalInfrastructure_t globalInfra, UdoDspShared* opInfo);

#endif  // OPGEN_DSP_OPS_ExampleDspOpPackage_HPP
