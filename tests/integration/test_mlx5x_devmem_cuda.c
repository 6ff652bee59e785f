/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devmem into GPU memory: a queue bound to memory from cuMemAlloc
 * (exported as a dma-buf), frames from the generator, and a CUDA kernel
 * (tests/gpu/devmem_checksum.cu) that checksums every payload where it
 * landed on the GPU, compared with the generator's bytes. Skips, saying
 * why, in builds without the CUDA toolkit and on machines without the
 * NVIDIA driver or a GPU.
 */
#include <dlfcn.h>
#include <errno.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "rte_pmd_mlx5x_devmem.h"

#ifndef MLX5X_HAVE_CUDA
int
main(void)
{
	SKIP("built without the CUDA toolkit (no cuda.h): no CUDA provider");
}
#else
#include <cuda.h>

#include "mlx5x_test_port.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define FNS(X) \
	X(cuInit) X(cuDeviceGetCount) X(cuDeviceGet) \
	X(cuDevicePrimaryCtxRetain) X(cuCtxSetCurrent) X(cuModuleLoad) \
	X(cuModuleGetFunction) X(cuMemAlloc) X(cuMemFree) X(cuMemcpyHtoD) \
	X(cuMemcpyDtoH) X(cuLaunchKernel) X(cuCtxSynchronize)

static struct {
#define PTR(f) __typeof__(&f) f;
	FNS(PTR)
#undef PTR
} cu;

#define NPKT 2000u
#define HDR 42u

static int
cuda_up(char *why, size_t n)
{
	void *lib = dlopen("libcuda.so.1", RTLD_NOW);
	int ngpu = 0;

	if (lib == NULL) {
		snprintf(why, n, "no NVIDIA driver (libcuda.so.1: %s)", dlerror());
		return -1;
	}
#define SYM(f) \
	if ((cu.f = (__typeof__(cu.f))dlsym(lib, STR(f))) == NULL) { \
		snprintf(why, n, "libcuda has no %s", STR(f)); \
		return -1; \
	}
	FNS(SYM)
#undef SYM
	if (cu.cuInit(0) != CUDA_SUCCESS ||
	    cu.cuDeviceGetCount(&ngpu) != CUDA_SUCCESS || ngpu == 0) {
		snprintf(why, n, "cuInit or cuDeviceGetCount: no GPU");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static unsigned long long off[NPKT];
	static unsigned int len[NPKT], flow[NPKT], tok[NPKT], sum[NPKT];
	struct rte_pmd_mlx5x_devmem_region r;
	struct rte_pmd_mlx5x_devmem_stats st;
	CUdevice dev;
	CUcontext ctx;
	CUmodule mod;
	CUfunction fn;
	CUdeviceptr d_off, d_len, d_sum;
	char why[256], name[32];
	unsigned int got = 0, bad = 0, idle = 0;
	uint16_t q = 0;
	int port, id;

	(void)argc;
	if (cuda_up(why, sizeof(why)) != 0)
		SKIP("%s", why);
	if (test_ports_init(argv[0]) != 0)
		return 1;
	REQUIRE_OR_EXIT(cu.cuDeviceGet(&dev, 0) == CUDA_SUCCESS &&
			cu.cuDevicePrimaryCtxRetain(&ctx, dev) == CUDA_SUCCESS &&
			cu.cuCtxSetCurrent(ctx) == CUDA_SUCCESS, "CUDA context");
	REQUIRE_OR_EXIT(rte_pmd_mlx5x_devmem_cuda_alloc(0, 16u << 20, &r) == 0,
			"cuda_alloc");
	printf("GPU region: 16 MiB, dma-buf fd %d\n", r.fd);
	port = port_up("wire=gen,gen_size=1500,gen_flows=8,gen_count=2000,"
		       "dev_mode=inline", NULL, name, sizeof(name));
	REQUIRE_OR_EXIT(port >= 0, "port");
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &r, NULL, NULL);
	REQUIRE_OR_EXIT(id > 0, "bind: %d", id);
	while (idle < 200 && got < NPKT) {
		struct rte_mbuf *b[32];
		uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32);

		for (uint16_t i = 0; i < k && got < NPKT; i++) {
			const uint8_t *h = rte_pktmbuf_mtod(b[i], const uint8_t *);
			struct rte_pmd_mlx5x_devmem_frag f;

			if (rte_pmd_mlx5x_devmem_frags(b[i], &f, 1) != 1) {
				bad++;
				continue;
			}
			off[got] = f.offset;
			len[got] = f.len;
			tok[got] = f.token;
			flow[got] = ((uint32_t)h[34] << 8 | h[35]) - 1024;
			got++;
		}
		rte_pktmbuf_free_bulk(b, k);
		idle = k ? 0 : idle + 1;
	}
	CHECK_EQ(got, NPKT);
	CHECK_EQ(bad, 0);
	/* the kernel reads every payload where it is: in GPU memory */
	cu.cuCtxSetCurrent(ctx);
	REQUIRE_OR_EXIT(cu.cuModuleLoad(&mod, MLX5X_BUILD_ROOT
			"/tests/devmem_checksum.ptx") == CUDA_SUCCESS &&
			cu.cuModuleGetFunction(&fn, mod, "devmem_checksum") ==
			CUDA_SUCCESS, "checksum kernel");
	REQUIRE_OR_EXIT(cu.cuMemAlloc(&d_off, sizeof(off)) == CUDA_SUCCESS &&
			cu.cuMemAlloc(&d_len, sizeof(len)) == CUDA_SUCCESS &&
			cu.cuMemAlloc(&d_sum, sizeof(sum)) == CUDA_SUCCESS,
			"kernel buffers");
	cu.cuMemcpyHtoD(d_off, off, sizeof(off));
	cu.cuMemcpyHtoD(d_len, len, sizeof(len));
	{
		CUdeviceptr base = (CUdeviceptr)(uintptr_t)r.va;
		unsigned int n = got;
		void *args[] = { &base, &d_off, &d_len, &d_sum, &n };

		CHECK_EQ(cu.cuLaunchKernel(fn, (n + 127) / 128, 1, 1, 128, 1, 1,
					   0, NULL, args, NULL), CUDA_SUCCESS);
		CHECK_EQ(cu.cuCtxSynchronize(), CUDA_SUCCESS);
	}
	cu.cuMemcpyDtoH(sum, d_sum, sizeof(sum));
	bad = 0;
	for (unsigned int i = 0; i < got; i++) {
		unsigned int want = 0;

		/* the generator's payload byte j is j + flow */
		for (unsigned int j = 0; j < len[i]; j++)
			want += (uint8_t)(j + flow[i]) * (j + 1);
		bad += sum[i] != want || len[i] != 1500 - HDR;
	}
	printf("GPU checksums: %u payloads, %u mismatches\n", got, bad);
	CHECK_EQ(bad, 0);
	CHECK_EQ(rte_pmd_mlx5x_devmem_tokens_return((uint32_t)id, tok, got),
		 got);
	rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
	CHECK_EQ(st.chunks_in_flight, 0);
	CHECK(rte_pmd_mlx5x_devmem_unbind((uint32_t)id) >= 0, "unbind");
	cu.cuMemFree(d_off);
	cu.cuMemFree(d_len);
	cu.cuMemFree(d_sum);
	port_down(port, name);
	rte_pmd_mlx5x_devmem_cuda_free(&r);
	rte_eal_cleanup();
	return test_report("mlx5x-devmem-cuda");
}
#endif
