"""Lesson 13 · Speech, the future and the brain (语音识别 · 未来发展和挑战): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        "Two spectrograms of vowels: in one, F1 is near 300 Hz and F2 near 2 300 Hz; in the other, "
        "F1 and F2 are both near 1 kHz. The speakers' pitches differ too. What tells the two "
        "vowels apart?",
        ("The pitch f0: the higher voice says /i/",
         "The loudness: /ɑ/ is the louder vowel",
         "The positions of the formants F1 and F2 (共振峰): a wide gap is /i/ (heed), F1 and F2 "
         "close together near 1 kHz is /ɑ/ (hod)",
         "The length of the clip"),
        answer=2,
        explanation="The formants are the resonances of the throat and mouth, set by the shape of "
                    "the tongue and lips — that shape is the vowel. Pitch, loudness and length are "
                    "random in make_vowels, so the network has to ignore them.",
        why_not={0: "Every vowel was spoken at random pitches from 85 to 255 Hz; the pitch shows "
                    "as the spacing of the fine harmonic stripes, not as the vowel.",
                 1: "Loudness was drawn at random (peak 0.3 to 1) for every clip, whatever the "
                    "vowel.",
                 3: "Length and start are random too; a network relying on them would be guessing."},
    ),
    Numeric(
        "Symmetric 8-bit quantization: a weight matrix's largest weight in size is −0.635. What is "
        "the scale s?",
        answer=0.005, tolerance=1e-6,
        explanation="s = max|W| / (2^(8−1) − 1) = 0.635 / 127 = 0.005. The weight −0.635 becomes "
                    "q = −127, and any other weight moves by at most s/2 = 0.0025.",
    ),
    Numeric(
        "A network has 1 000 000 weights stored as float32 (4 bytes each). How many bytes do "
        "they take after 8-bit quantization, ignoring the few 4-byte scales?",
        answer=1_000_000, tolerance=0, unit="bytes",
        explanation="8 bits = 1 byte per weight: 1 000 000 bytes, 4 times fewer than the "
                    "4 000 000 of float32 — and 4 times fewer bytes to fetch from memory for each "
                    "input, which is where most of the energy goes.",
    ),
    Choice(
        "A network trained on 200 digits answers '8' for a 3 whose training label was wrongly set "
        "to 8; a network trained without that one example answers '3'. What does this show?",
        ("The first network is broken and should be retrained with another seed",
         "The first network memorised that single training example — so a model can give away "
         "something about one record of its training data",
         "The image really is an 8",
         "Quantization changed its answer"),
        answer=1,
        explanation="Nothing else in the data suggests '8' for that image; only the one planted "
                    "example does. Rare examples are memorised one by one, which is why training "
                    "data can leak (the canary test of Carlini et al., 2019).",
        why_not={0: "It does exactly what training asks: fit every training label, including the "
                    "odd one. Another seed memorises it too.",
                 2: "The network trained without the planted label reads it as a 3, the digit "
                    "it is.",
                 3: "Neither network in the privacy experiment is quantized."},
    ),
    Numeric(
        "A rough estimate: if a brain's 20 W were spent on 10¹⁴ synaptic events per second, how "
        "many picojoules (1 pJ = 10⁻¹² J) would each event cost?",
        answer=0.2, tolerance=0.005, unit="pJ",
        explanation="20 J/s ÷ 10¹⁴ events/s = 2 × 10⁻¹³ J = 0.2 pJ per event — about one 8-bit "
                    "multiply on a 45 nm chip, and far less than fetching one 32-bit weight "
                    "from DRAM (640 pJ).",
    ),
]
