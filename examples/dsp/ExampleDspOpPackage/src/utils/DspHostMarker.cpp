// opgen-owned file: shipped by opgen into op packages and refreshed on regeneration.
//
// Compiled into the host library only (make dsp_x86, CMake; the device build leaves it out):
// opgen's runtime recognises a DSP host build by this exported symbol, so `LIB:PROVIDER` needs
// no `:DSP` and no configs beside the library. Nothing reads its value.
extern "C" {
__attribute__((visibility("default"))) extern const char opgen_dsp_package[];
}

const char opgen_dsp_package[] = "opgen DSP op package, host build";
