# opgen-owned file, generated for op package ExampleGpuOpPackage (GPU) from ExampleGpuOpPackage.xml. opgen regenerates it; edits are detected and refused.
#
# Embeds each op's OpenCL kernel in op package ExampleGpuOpPackage: src/ops/<Op>.cl becomes
# $(KERNEL_DIR)/<Op>.cl.inc, a C++ raw string literal that src/ExampleGpuOpPackageInterface.cpp
# includes as the kernel's source text. Needs only a shell with printf and cat.
# Included by makefiles/Makefile.linux-x86_64; `make gpu_android` runs it on its own:
#   make -f makefiles/Kernels.mk KERNEL_DIR=obj/aarch64-android/kernels kernels

KERNEL_DIR ?= obj/kernels
KERNEL_OPS := Relu Swish Axpy
KERNEL_INCS := $(patsubst %,$(KERNEL_DIR)/%.cl.inc,$(KERNEL_OPS))
KERNEL_END := )opgen_cl"

.PHONY: kernels
kernels: $(KERNEL_INCS)

$(KERNEL_DIR)/%.cl.inc: src/ops/%.cl
	@mkdir -p $(dir $@)
	@if grep -qF '$(KERNEL_END)' $<; then \
	    echo '$<: contains $(KERNEL_END), which would end the embedded source early' >&2; \
	    exit 1; fi
	{ printf '%s' 'R"opgen_cl('; cat $<; printf '%s\n' '$(KERNEL_END)'; } > $@.tmp
	mv $@.tmp $@
