// opgen-owned file: part of opgen's host emulation of the HTP op-writing API.
// The same include path as the HTP core header; everything is declared by opgen_host.h.
#include "HTP/core/opgen_host.h"
