"""normalization.h5: F.batch_norm (train and eval, with and without affine, and the ASPP
image-pooling shape (4, 3, 1, 1)), F.instance_norm and F.normalize (L2 over channels, with an
all-zero pixel where the eps clamp is active)."""
import torch.nn.functional as F

from fixture_cases import FixtureFile

# name: shape, affine, training
BATCH_NORM = {
    "batch_norm_train_affine": ((2, 3, 4, 5), True, True),
    "batch_norm_train_plain": ((3, 4, 3, 3), False, True),
    "batch_norm_train_pool": ((4, 3, 1, 1), True, True),
    "batch_norm_eval_affine": ((2, 3, 4, 5), True, False),
    "batch_norm_eval_plain": ((2, 2, 3, 4), False, False),
}


def batch_norm(f):
    for name, (shape, affine, training) in BATCH_NORM.items():
        c = shape[1]

        def draw(r, shape=shape, c=c, affine=affine):
            inputs = {"x": r.normal(*shape, mean=0.5, std=2), "running_mean": r.normal(c, std=0.3),
                      "running_var": r.uniform(c, lo=0.5, hi=1.5)}
            if affine:
                inputs.update(weight=r.normal(c, mean=1, std=0.5), bias=r.normal(c, std=0.5))
            return inputs

        def fn(x, running_mean, running_var, weight=None, bias=None, training=training):
            return F.batch_norm(x, running_mean, running_var, weight, bias, training=training,
                                momentum=0.1, eps=1e-5)

        f.case(name, fn, draw, constants=("running_mean", "running_var"),
               state=("running_mean", "running_var"),
               attrs={"training": training, "affine": affine, "momentum": 0.1, "eps": 1e-5})


def main():
    with FixtureFile("normalization.h5", "make_normalization.py") as f:
        batch_norm(f)
        for name, shape in [("instance_norm_a", (2, 3, 5, 4)), ("instance_norm_b", (1, 2, 7, 6))]:
            f.case(name, lambda x: F.instance_norm(x, eps=1e-5),
                   lambda r, shape=shape: {"x": r.normal(*shape, mean=-0.3, std=1.5)},
                   attrs={"eps": 1e-5})

        def zero_pixel(r):
            x = r.uniform(2, 6, 3, 4)
            x[1, :, 2, 3] = 0
            return {"x": x}

        f.case("l2_normalize", lambda x: F.normalize(x, dim=1, eps=1e-12), zero_pixel,
               attrs={"dim": 1, "eps": 1e-12})


if __name__ == "__main__":
    main()
