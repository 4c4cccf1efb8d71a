"""Draw the application icon (resources/icon.png): stacked feature maps feeding a neuron."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icon.png"


def main() -> None:
    s = 256
    im = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((8, 8, s - 8, s - 8), radius=48, fill=(24, 38, 64, 255))
    colors = [(86, 180, 233), (0, 158, 115), (230, 159, 0)]
    for i, c in enumerate(colors):  # three feature maps, shrinking
        x0, y0 = 40 + i * 34, 56 + i * 22
        size = 120 - i * 30
        d.rounded_rectangle((x0, y0, x0 + size, y0 + size), radius=10, fill=c + (255,), outline=(255, 255, 255, 255),
                            width=4)
        step = size // 4
        for k in range(1, 4):
            d.line((x0 + k * step, y0 + 4, x0 + k * step, y0 + size - 4), fill=(255, 255, 255, 120), width=2)
            d.line((x0 + 4, y0 + k * step, x0 + size - 4, y0 + k * step), fill=(255, 255, 255, 120), width=2)
    d.ellipse((186, 150, 226, 190), fill=(213, 94, 0, 255), outline=(255, 255, 255, 255), width=4)
    d.line((168, 170, 186, 170), fill=(255, 255, 255, 255), width=5)
    im.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
