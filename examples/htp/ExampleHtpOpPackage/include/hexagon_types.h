// opgen-owned file: part of opgen's host emulation of the HTP op-writing API.
#error "opgen HTP host emulation: hexagon_types.h (the HVX vector types) is not available on the host. Guard HVX code and this include with #ifndef OPGEN_HTP_HOST_EMULATION (or #ifdef __hexagon__), or build against the Hexagon SDK"
