/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the legacy
 * UDO interface used by QNN DSP (Hexagon v65/v66) op packages (UDO API 1.6.0,
 * SDK 2.13 surface). Written by the opgen authors from documented names,
 * values and layouts only.
 *
 * Entry point shared by UDO registration and implementation libraries.
 * QNN DSP op packages do not use it: the backend drives them through the
 * function pointers of QnnDspOpPackage_OperationInfo_t.
 */
#ifndef SNPE_UDO_SHARED_H
#define SNPE_UDO_SHARED_H

#include "DSP/Udo/UdoBase.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reports the library and API versions; the library keeps the struct. */
SnpeUdo_ErrorType_t SnpeUdo_getVersion(SnpeUdo_LibVersion_t** version);

typedef SnpeUdo_ErrorType_t (*SnpeUdo_GetVersionFunction_t)(SnpeUdo_LibVersion_t** version);
typedef SnpeUdo_GetVersionFunction_t Udo_GetVersionFunction_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SNPE_UDO_SHARED_H */
