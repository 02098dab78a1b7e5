<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Canvas</name>
    <message>
        <source>Drawing pad</source>
        <translation>画板</translation>
    </message>
    <message>
        <source>Draw one digit from 0 to 9 here with the mouse, a pen or a finger</source>
        <translation>在这里用鼠标、手写笔或手指写一个 0 到 9 的数字</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>在这里写一个数字</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <source>this could be several digits</source>
        <translation>它可能是好几个数字</translation>
    </message>
    <message>
        <source>this does not look like a digit</source>
        <translation>这看起来不像数字</translation>
    </message>
    <message>
        <source>nothing drawn yet</source>
        <translation>还没有画任何东西</translation>
    </message>
    <message>
        <source>looking for MNIST</source>
        <translation>正在查找 MNIST</translation>
    </message>
    <message>
        <source>measuring the model in use</source>
        <translation>正在评估当前模型</translation>
    </message>
    <message>
        <source>preparing your samples</source>
        <translation>正在准备你的样本</translation>
    </message>
    <message>
        <source>fine-tuning</source>
        <translation>正在微调</translation>
    </message>
    <message>
        <source>measuring the new model</source>
        <translation>正在评估新模型</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>with MNIST replay</source>
        <translation>混合 MNIST 复习</translation>
    </message>
    <message>
        <source>personal samples only</source>
        <translation>仅用个人样本</translation>
    </message>
    <message>
        <source>pendigits writers 21-24 under the 13 drawn conditions</source>
        <translation>pendigits 第 21–24 位书写者的笔迹，在 13 种书写条件下重新绘制</translation>
    </message>
    <message>
        <source>MNIST test set, after a personal fine-tune</source>
        <translation>个人微调之后的 MNIST 测试集</translation>
    </message>
    <message>
        <source>the run&apos;s test set (held out of training)</source>
        <translation>这次训练的测试集（未参与训练）</translation>
    </message>
    <message>
        <source>built-in model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <source>new model</source>
        <translation>新模型</translation>
    </message>
    <message>
        <source>{name} ({arch})</source>
        <translation>{name}（{arch}）</translation>
    </message>
    <message>
        <source>{name} ({arch}, {accuracy} on MNIST test)</source>
        <translation>{name}（{arch}，MNIST 测试集准确率 {accuracy}）</translation>
    </message>
</context>
<context>
    <name>DataSourcePanel</name>
    <message>
        <source>{path}: no such file or folder</source>
        <translation>{path}：没有这个文件或文件夹</translation>
    </message>
    <message>
        <source>{folder}: no {file}[.gz] file in this folder</source>
        <translation>{folder}：该文件夹中没有 {file}[.gz] 文件</translation>
    </message>
    <message>
        <source>{name}: choose a folder of IDX files or an .npz file</source>
        <translation>{name}：请选择装有 IDX 文件的文件夹或一个 .npz 文件</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>A folder with the four MNIST IDX files (.gz or not)</source>
        <translation>装有四个 MNIST IDX 文件（可为 .gz 压缩）的文件夹</translation>
    </message>
    <message>
        <source>.npz file…</source>
        <translation>.npz 文件…</translation>
    </message>
    <message>
        <source>mnist.npz as Keras keeps it (x_train, y_train, …)</source>
        <translation>Keras 保存的 mnist.npz（x_train、y_train 等）</translation>
    </message>
    <message>
        <source>Download MNIST</source>
        <translation>下载 MNIST</translation>
    </message>
    <message>
        <source>About 11 MB, checked against the official checksums</source>
        <translation>约 11 MB，会用官方校验和核对</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the download</source>
        <translation>停止下载</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <source>No MNIST yet: choose a folder or an .npz file, or download it.</source>
        <translation>还没有 MNIST：请选择文件夹或 .npz 文件，或者下载它。</translation>
    </message>
    <message>
        <source>MNIST from {place}</source>
        <translation>MNIST 位于 {place}</translation>
    </message>
    <message>
        <source>Folder with the MNIST IDX files</source>
        <translation>装有 MNIST IDX 文件的文件夹</translation>
    </message>
    <message>
        <source>MNIST .npz file</source>
        <translation>MNIST .npz 文件</translation>
    </message>
    <message>
        <source>NumPy archives (*.npz);;All files (*)</source>
        <translation>NumPy 存档 (*.npz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source> of {total}</source>
        <translation> / {total}</translation>
    </message>
    <message>
        <source>Downloading {file} ({index}/{files}): {done}{total} MB</source>
        <translation>正在下载 {file}（{index}/{files}）：{done}{total} MB</translation>
    </message>
    <message>
        <source>MNIST could not be downloaded: no mirror could be reached. Is this computer online? You can also choose a folder or an .npz file you have.</source>
        <translation>无法下载 MNIST：所有镜像都连接不上。这台电脑联网了吗？也可以选择你已有的文件夹或 .npz 文件。</translation>
    </message>
</context>
<context>
    <name>DrawTab</name>
    <message>
        <source>Write a number here</source>
        <translation>在这里写一个数</translation>
    </message>
    <message>
        <source>&amp;Number mode</source>
        <translation>多位数模式(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Number</source>
        <translation>多位数(&amp;N)</translation>
    </message>
    <message>
        <source>Read a whole number of several digits on a wider pad (N)</source>
        <translation>在更宽的画板上识别由几位数字组成的整个数 (N)</translation>
    </message>
</context>
<context>
    <name>DrawingTools</name>
    <message>
        <source>Drawing tools</source>
        <translation>绘图工具</translation>
    </message>
    <message>
        <source>&amp;Pen</source>
        <translation>画笔(&amp;P)</translation>
    </message>
    <message>
        <source>Draw with the pen</source>
        <translation>用画笔书写</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>橡皮擦(&amp;E)</translation>
    </message>
    <message>
        <source>Rub out ink. Dragging with the right mouse button rubs out too, whatever the tool.</source>
        <translation>擦除笔迹。无论当前是什么工具，按住鼠标右键拖动也能擦除。</translation>
    </message>
    <message>
        <source>Thinner pen</source>
        <translation>笔画变细</translation>
    </message>
    <message>
        <source>Thicker pen</source>
        <translation>笔画变粗</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Take back the last stroke</source>
        <translation>撤回上一笔</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Put back what undo took</source>
        <translation>恢复被撤销的笔画</translation>
    </message>
    <message>
        <source>&amp;Clear</source>
        <translation>清空(&amp;C)</translation>
    </message>
    <message>
        <source>Start again on an empty pad</source>
        <translation>清空画板，重新开始</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>粗细</translation>
    </message>
    <message>
        <source>Pen width ({thinner} thinner, {thicker} thicker)</source>
        <translation>笔画粗细（{thinner} 变细，{thicker} 变粗）</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>笔画粗细</translation>
    </message>
</context>
<context>
    <name>FineTunePanel</name>
    <message>
        <source>Teach the model in use your samples from the Draw tab (a copy: the model in use changes only if you keep it)</source>
        <translation>用你在“绘图”页教的样本训练当前模型（在副本上进行：只有你选择保留，当前模型才会改变）</translation>
    </message>
    <message>
        <source>Teach it your handwriting</source>
        <translation>教它认你的笔迹</translation>
    </message>
    <message>
        <source>Fine-tune on my handwriting</source>
        <translation>用我的笔迹微调</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the fine-tune; the model in use stays</source>
        <translation>停止微调；当前模型保持不变</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>使用这个模型</translation>
    </message>
    <message>
        <source>Read drawings with the fine-tuned model from now on</source>
        <translation>从现在起用微调后的模型识别</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Forget the fine-tuned model; keep the model in use</source>
        <translation>丢弃微调后的模型，保留当前模型</translation>
    </message>
    <message>
        <source>Fine-tune progress</source>
        <translation>微调进度</translation>
    </message>
    <message>
        <source>No samples yet: in the Draw tab, draw digits and teach each one (press its key, or confirm the reading).</source>
        <translation>还没有样本：请在“绘图”页写数字并逐个教它（按对应的数字键，或确认识别结果）。</translation>
    </message>
    <message>
        <source>1 sample taught ({least}–{most} per digit).</source>
        <translation>已教 1 个样本（每个数字 {least}–{most} 个）。</translation>
    </message>
    <message>
        <source>{total} samples taught ({least}–{most} per digit).</source>
        <translation>已教 {total} 个样本（每个数字 {least}–{most} 个）。</translation>
    </message>
    <message>
        <source> None yet of {digits}.</source>
        <translation> 还没有 {digits} 的样本。</translation>
    </message>
    <message>
        <source> Teach at least {minimum} to fine-tune.</source>
        <translation> 至少教 {minimum} 个才能微调。</translation>
    </message>
    <message>
        <source>The model in use is still loading; try again in a moment.</source>
        <translation>当前模型还在加载，请稍后再试。</translation>
    </message>
    <message>
        <source>Teach at least {minimum} samples in the Draw tab first (you have {count}).</source>
        <translation>请先在“绘图”页至少教 {minimum} 个样本（目前有 {count} 个）。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopped; the model in use is unchanged.</source>
        <translation>已停止；当前模型没有改变。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Keep the new model with Use this model, or Discard it.</source>
        <translation>点“使用这个模型”保留新模型，或点“丢弃”。</translation>
    </message>
    <message>
        <source> ({accuracy} on your held-back samples)</source>
        <translation>（在你留出的样本上准确率 {accuracy}）</translation>
    </message>
    <message>
        <source>Now drawing with the model fine-tuned on your handwriting{figure}.</source>
        <translation>现在用按你的笔迹微调过的模型识别{figure}。</translation>
    </message>
    <message>
        <source>Discarded the fine-tuned model; the model in use is unchanged.</source>
        <translation>已丢弃微调后的模型；当前模型没有改变。</translation>
    </message>
    <message>
        <source>Your {count} held-back samples</source>
        <translation>你留出的 {count} 个样本</translation>
    </message>
    <message>
        <source>MNIST test</source>
        <translation>MNIST 测试集</translation>
    </message>
    <message>
        <source>MNIST test ({count} digits)</source>
        <translation>MNIST 测试集（{count} 个数字）</translation>
    </message>
    <message>
        <source>No MNIST found, so only your samples were used, with extra care not to forget other people&apos;s digits; choose MNIST in the Data box for a safer fine-tune.</source>
        <translation>没有找到 MNIST，因此只用了你的样本，并格外小心不让它忘记别人写的数字；在“数据”框中选择 MNIST 可以让微调更稳妥。</translation>
    </message>
    <message>
        <source>Fine-tuned on {count} of your samples in {seconds} s ({mode}).</source>
        <translation>用你的 {count} 个样本微调，用时 {seconds} 秒（{mode}）。</translation>
    </message>
    <message>
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>after</source>
        <translation>之后</translation>
    </message>
</context>
<context>
    <name>HyperparameterPanel</name>
    <message>
        <source>constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>one cycle</source>
        <translation>单周期</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>tutorial</source>
        <translation>教程</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <source>finetune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Hyperparameters</source>
        <translation>超参数</translation>
    </message>
    <message>
        <source>Au&amp;gment (rotate, scale, shift, thicken)</source>
        <translation>数据增强(&amp;G)（旋转、缩放、平移、加粗）</translation>
    </message>
    <message>
        <source>mome&amp;ntum</source>
        <translation>动量(&amp;N)</translation>
    </message>
    <message>
        <source>epo&amp;chs</source>
        <translation>轮数(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Preset</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Optimizer</source>
        <translation>优化器(&amp;O)</translation>
    </message>
    <message>
        <source>Lea&amp;rning rate</source>
        <translation>学习率(&amp;R)</translation>
    </message>
    <message>
        <source>Batch si&amp;ze</source>
        <translation>批大小(&amp;Z)</translation>
    </message>
    <message>
        <source>&amp;Schedule</source>
        <translation>学习率调度(&amp;S)</translation>
    </message>
    <message>
        <source>A tried recipe: choosing one fills in every field below</source>
        <translation>经过验证的配方：选择后会填好下面所有字段</translation>
    </message>
    <message>
        <source>How the weights are changed from their gradients</source>
        <translation>根据梯度更新权重的方法</translation>
    </message>
    <message>
        <source>How big a step the optimizer takes</source>
        <translation>优化器每一步走多大</translation>
    </message>
    <message>
        <source>How much of the last step carries over</source>
        <translation>上一步的更新保留多少</translation>
    </message>
    <message>
        <source>How many images make one step</source>
        <translation>每一步用多少张图像</translation>
    </message>
    <message>
        <source>How many times the run goes through the training images</source>
        <translation>训练要把全部训练图像过几遍</translation>
    </message>
    <message>
        <source>How the learning rate changes during the run</source>
        <translation>训练过程中学习率如何变化</translation>
    </message>
    <message>
        <source>Train on copies turned, scaled, moved and thickened at random, so that drawn digits are read better</source>
        <translation>用随机旋转、缩放、平移和加粗后的副本训练，让手写数字识别得更好</translation>
    </message>
</context>
<context>
    <name>InsidePage</name>
    <message>
        <source>What the network reads</source>
        <translation>网络读到的内容</translation>
    </message>
    <message>
        <source>The arrow keys scroll through them</source>
        <translation>用方向键滚动浏览</translation>
    </message>
    <message>
        <source>&amp;Show which ink mattered (saliency)</source>
        <translation>显示哪些笔迹起了作用（显著性）(&amp;S)</translation>
    </message>
    <message>
        <source>Colours the input: red where the ink pushed the network towards the digit, blue where it pushed away</source>
        <translation>给输入上色：红色表示这部分笔迹让网络更倾向于该数字，蓝色表示让它远离该数字</translation>
    </message>
    <message>
        <source>Why not…? Click a digit:</source>
        <translation>为什么不是…？点击一个数字：</translation>
    </message>
    <message>
        <source>Show which ink speaks for and against {digit}</source>
        <translation>显示哪些笔迹支持或反对 {digit}</translation>
    </message>
    <message>
        <source>Kernels of the first convolution</source>
        <translation>第一层卷积的卷积核</translation>
    </message>
    <message>
        <source>The arrow keys choose a kernel; it is shown enlarged</source>
        <translation>用方向键选择一个卷积核，它会放大显示</translation>
    </message>
    <message>
        <source>The 28×28 image the network sees</source>
        <translation>网络看到的 28×28 图像</translation>
    </message>
    <message>
        <source>Feature maps of every convolution</source>
        <translation>每个卷积层的特征图</translation>
    </message>
    <message>
        <source>Layer {number}: {channels} maps of {height}×{width}</source>
        <translation>第 {number} 层：{channels} 张 {height}×{width} 特征图</translation>
    </message>
    <message>
        <source>The arrow keys choose a map; it is shown enlarged</source>
        <translation>用方向键选择一张特征图，它会放大显示</translation>
    </message>
    <message>
        <source>Layer {layer}, map {number} of {count}</source>
        <translation>第 {layer} 层，第 {number} 张特征图（共 {count} 张）</translation>
    </message>
    <message>
        <source>Click any map to see it larger.</source>
        <translation>点击任意特征图可查看大图。</translation>
    </message>
    <message>
        <source>Click a map to enlarge it</source>
        <translation>点击一张特征图可放大</translation>
    </message>
    <message>
        <source>Kernel {number} of {count} of the first convolution</source>
        <translation>第一层卷积的第 {number} 个卷积核（共 {count} 个）</translation>
    </message>
    <message>
        <source>No model is loaded yet.</source>
        <translation>还没有加载模型。</translation>
    </message>
    <message>
        <source>Draw a digit on the pad to look inside the network.</source>
        <translation>在画板上写一个数字，看看网络内部。</translation>
    </message>
    <message>
        <source>Not a digit ({sure} sure); nearest digit: {digit} ({confidence})</source>
        <translation>不是数字（把握 {sure}）；最接近的数字：{digit}（{confidence}）</translation>
    </message>
    <message>
        <source>Not sure: {digit} ({confidence}) or {other} ({chance})</source>
        <translation>不确定：{digit}（{confidence}）或 {other}（{chance}）</translation>
    </message>
    <message>
        <source>Reads {digit} ({confidence})</source>
        <translation>识别为 {digit}（{confidence}）</translation>
    </message>
    <message>
        <source>Red: ink that made it read {digit}. Blue: ink that spoke against {digit}.</source>
        <translation>红色：让它识别为 {digit} 的笔迹。蓝色：反对 {digit} 的笔迹。</translation>
    </message>
    <message>
        <source>Why not {digit}? The network gives it {chance}. Red: ink that speaks for {digit}. Blue: ink that speaks against it.</source>
        <translation>为什么不是 {digit}？网络给它的概率是 {chance}。红色：支持 {digit} 的笔迹。蓝色：反对它的笔迹。</translation>
    </message>
</context>
<context>
    <name>LayerList</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Layers of the network</source>
        <translation>网络的各层</translation>
    </message>
    <message>
        <source>convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>batch norm</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>随机失活</translation>
    </message>
    <message>
        <source>fully connected</source>
        <translation>全连接</translation>
    </message>
    <message>
        <source>classifier</source>
        <translation>分类器</translation>
    </message>
    <message>
        <source>flatten</source>
        <translation>展平</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>{count} layers, {total} parameters in all.</source>
        <translation>共 {count} 层，{total} 个参数。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer {number}&lt;/b&gt;: {sentence}</source>
        <translation>&lt;b&gt;第 {number} 层&lt;/b&gt;：{sentence}</translation>
    </message>
</context>
<context>
    <name>LayerSentence</name>
    <message>
        <source>Convolution: slides {channels} small {kernel} filters over its input; each output map shows where one pattern, such as an edge or a curve, appears.</source>
        <translation>卷积：用 {channels} 个 {kernel} 的小卷积核在输入上滑动；每张输出特征图显示一种图案（例如一条边或一段弧线）出现在哪里。</translation>
    </message>
    <message>
        <source>Pooling: keeps the strongest (or average) value of each small patch, making the maps smaller and less sensitive to exactly where a stroke is.</source>
        <translation>池化：每个小区域只保留最强（或平均）的值，特征图变小，对笔画的确切位置也不那么敏感。</translation>
    </message>
    <message>
        <source>Batch normalisation: rescales each channel to a steady range, which makes training faster and more stable.</source>
        <translation>批归一化：把每个通道缩放到稳定的范围，让训练更快、更稳。</translation>
    </message>
    <message>
        <source>ReLU: keeps positive values and sets negative ones to zero, so only patterns that are present pass on.</source>
        <translation>ReLU 激活：保留正值，把负值变成零，只有确实出现的图案才会传下去。</translation>
    </message>
    <message>
        <source>Dropout: while training, switches off random values so the network cannot rely on any single one; when reading, it lets everything through.</source>
        <translation>随机失活：训练时随机关掉一些值，让网络不能只依赖其中某一个；识别时全部放行。</translation>
    </message>
    <message>
        <source>Fully connected: each of its {outputs} outputs weighs all {inputs} inputs together.</source>
        <translation>全连接：它的 {outputs} 个输出中的每一个都综合权衡全部 {inputs} 个输入。</translation>
    </message>
    <message>
        <source>The classifier: one score for each possible answer, computed from all {inputs} inputs; the highest score wins.</source>
        <translation>分类器：由全部 {inputs} 个输入为每个可能的答案算出一个分数，分数最高的胜出。</translation>
    </message>
    <message>
        <source>Flatten: lays the maps out as one long list of numbers for the layers that follow.</source>
        <translation>展平：把特征图排成一长串数字，交给后面的层。</translation>
    </message>
    <message>
        <source>{type}: a step of this network that DigitPad has no description for.</source>
        <translation>{type}：这个网络中的一步，DigitPad 还没有它的说明。</translation>
    </message>
</context>
<context>
    <name>LearningView</name>
    <message>
        <source>First filters</source>
        <translation>第一层卷积核</translation>
    </message>
    <message>
        <source>What they see</source>
        <translation>它们看到的</translation>
    </message>
    <message>
        <source>The kernels of the first convolution: they start as noise and become edge and stroke detectors</source>
        <translation>第一层卷积的卷积核：一开始是噪声，逐渐变成边缘和笔画的探测器</translation>
    </message>
    <message>
        <source>The first convolution&apos;s maps of the probe digit</source>
        <translation>第一层卷积对探针数字的特征图</translation>
    </message>
    <message>
        <source>The probe digit, the same all run long</source>
        <translation>探针数字，整个训练过程中都是同一个</translation>
    </message>
    <message>
        <source>Gradient size per layer (log scale)</source>
        <translation>每层的梯度大小（对数刻度）</translation>
    </message>
    <message>
        <source>How strongly each layer&apos;s weights are pushed, batch by batch: the gradient the tutorial prints for the first layer, for every layer</source>
        <translation>每个批次中各层权重被推动的力度：教程为第一层打印的梯度，这里每一层都有</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出层</translation>
    </message>
    <message>
        <source>conv {number}</source>
        <translation>卷积 {number}</translation>
    </message>
    <message>
        <source>dense {number}</source>
        <translation>全连接 {number}</translation>
    </message>
    <message>
        <source>Train to watch the filters form.</source>
        <translation>开始训练，看卷积核如何形成。</translation>
    </message>
    <message>
        <source>The filters at epoch {epochs}</source>
        <translation>第 {epochs} 轮时的卷积核</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Draw</source>
        <translation>绘图(&amp;D)</translation>
    </message>
    <message>
        <source>Draw a digit and watch the network read it</source>
        <translation>写一个数字，看神经网络如何识别它</translation>
    </message>
    <message>
        <source>&amp;Trainer</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>Train or fine-tune the network</source>
        <translation>训练或微调神经网络</translation>
    </message>
    <message>
        <source>&amp;Inside</source>
        <translation>网络内部(&amp;I)</translation>
    </message>
    <message>
        <source>See what every layer of the network does with your drawing</source>
        <translation>看看网络的每一层如何处理你写的数字</translation>
    </message>
    <message>
        <source>&amp;Mistakes</source>
        <translation>错误(&amp;M)</translation>
    </message>
    <message>
        <source>See which test images the model misreads</source>
        <translation>查看模型认错了哪些测试图像</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Ctrl+1 to Ctrl+{count} show the tabs</source>
        <translation>Ctrl+1 到 Ctrl+{count} 切换各页</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Close DigitPad</source>
        <translation>关闭 DigitPad</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About DigitPad</source>
        <translation>关于 DigitPad(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>About DigitPad</source>
        <translation>关于 DigitPad</translation>
    </message>
    <message>
        <source>&lt;p&gt;Draw a digit and watch a neural network read it.&lt;/p&gt;&lt;p&gt;Your drawing is cropped, scaled and centred the way the MNIST digits were, then read by a small convolutional network. The panel on the right shows what it saw and how sure it is.&lt;/p&gt;</source>
        <translation>&lt;p&gt;写一个数字，看神经网络如何识别它。&lt;/p&gt;&lt;p&gt;你写的数字会像 MNIST 数字那样被裁剪、缩放并居中，再由一个小型卷积神经网络识别。右侧面板显示网络看到了什么，以及它有多大把握。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>已保存 {file}</translation>
    </message>
</context>
<context>
    <name>MistakesPage</name>
    <message>
        <source>MNIST test set (10,000 images)</source>
        <translation>MNIST 测试集（10,000 张图像）</translation>
    </message>
    <message>
        <source>My samples</source>
        <translation>我的样本</translation>
    </message>
    <message>
        <source>Ev&amp;aluate</source>
        <translation>评估(&amp;A)</translation>
    </message>
    <message>
        <source>Read every image of the set with the model in use</source>
        <translation>用当前模型识别这个集合中的每一张图像</translation>
    </message>
    <message>
        <source>Rows: the true digit. Columns: what the model read. Click a cell to see its images.</source>
        <translation>行：真实的数字。列：模型认成的数字。点击一个格子查看其中的图像。</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Images to evaluate</source>
        <translation>要评估的图像</translation>
    </message>
    <message>
        <source>Misread images</source>
        <translation>认错的图像</translation>
    </message>
    <message>
        <source>Evaluate the model in use to see where it goes wrong.</source>
        <translation>评估当前模型，看看它在哪里出错。</translation>
    </message>
    <message>
        <source>Another model is in use now: evaluate again to see its mistakes.</source>
        <translation>现在用的是另一个模型：再评估一次，看看它的错误。</translation>
    </message>
    <message>
        <source>No MNIST yet: choose where it is, or download it, in the Trainer tab&apos;s Data box.</source>
        <translation>还没有 MNIST：请在“训练”页的“数据”框中选择它的位置，或下载它。</translation>
    </message>
    <message>
        <source>Reading the images…</source>
        <translation>正在识别图像…</translation>
    </message>
    <message>
        <source>Could not evaluate: {reason}</source>
        <translation>无法评估：{reason}</translation>
    </message>
    <message>
        <source>Click a cell off the diagonal to see the images behind it.</source>
        <translation>点击对角线以外的格子，查看其中的图像。</translation>
    </message>
    <message>
        <source>{wrong} of {total} images misread: accuracy {accuracy} (read in {seconds} s).</source>
        <translation>{total} 张图像中认错 {wrong} 张：准确率 {accuracy}（用时 {seconds} 秒）。</translation>
    </message>
    <message>
        <source>{count} images of {digit} read right.</source>
        <translation>{count} 张 {digit} 被认对了。</translation>
    </message>
    <message>
        <source>No {true} was read as {read}.</source>
        <translation>没有 {true} 被认成 {read}。</translation>
    </message>
    <message>
        <source>{count} images of {true} read as {read}. Click one to look inside.</source>
        <translation>{count} 张 {true} 被认成了 {read}。点击一张，看看网络内部。</translation>
    </message>
    <message>
        <source>{true} → {read}, {sure}</source>
        <translation>{true} → {read}，{sure}</translation>
    </message>
    <message>
        <source>Image {index}: a {true}, read as {read} with {sure}</source>
        <translation>第 {index} 张：是 {true}，以 {sure} 的把握认成了 {read}</translation>
    </message>
    <message>
        <source>MNIST test image {index}</source>
        <translation>MNIST 测试图像 {index}</translation>
    </message>
    <message>
        <source>Sample {index}</source>
        <translation>样本 {index}</translation>
    </message>
    <message>
        <source>{what}: a {true}, read as {read}</source>
        <translation>{what}：是 {true}，认成了 {read}</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>digitnet (built-in design)</source>
        <translation>digitnet（内置结构）</translation>
    </message>
    <message>
        <source>quicknet (quick to train)</source>
        <translation>quicknet（训练快）</translation>
    </message>
    <message>
        <source>seed (the tutorial&apos;s)</source>
        <translation>seed（教程中的网络）</translation>
    </message>
    <message>
        <source>seed-wide (wider seed)</source>
        <translation>seed-wide（加宽的 seed）</translation>
    </message>
    <message>
        <source>Channels, layer 1</source>
        <translation>第 1 层通道数</translation>
    </message>
    <message>
        <source>Channels, layer 2</source>
        <translation>第 2 层通道数</translation>
    </message>
    <message>
        <source>Hidden units</source>
        <translation>隐藏单元数</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>深度</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Fine-tune the model in use</source>
        <translation>微调当前模型</translation>
    </message>
    <message>
        <source>Train a ne&amp;w model:</source>
        <translation>训练新模型(&amp;W)：</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>网络结构</translation>
    </message>
    <message>
        <source>A size of the new network&apos;s layers</source>
        <translation>新网络某一层的大小</translation>
    </message>
    <message>
        <source>Start from the model in use and train it further (a copy)</source>
        <translation>从当前模型出发继续训练（在副本上）</translation>
    </message>
    <message>
        <source>Start from random weights</source>
        <translation>从随机权重开始</translation>
    </message>
    <message>
        <source>The design of the new network</source>
        <translation>新网络的结构</translation>
    </message>
</context>
<context>
    <name>ModelStatus</name>
    <message>
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>The network is loading; you can draw already</source>
        <translation>神经网络正在加载；你已经可以开始写了</translation>
    </message>
    <message>
        <source>Model: {description}</source>
        <translation>模型：{description}</translation>
    </message>
    <message>
        <source> — see the note</source>
        <translation> —— 请看说明</translation>
    </message>
    <message>
        <source>No model: {message}</source>
        <translation>没有模型：{message}</translation>
    </message>
</context>
<context>
    <name>MySamplesDialog</name>
    <message>
        <source>My samples</source>
        <translation>我的样本</translation>
    </message>
    <message>
        <source>Show the samples of {digit}</source>
        <translation>显示数字 {digit} 的样本</translation>
    </message>
    <message>
        <source>Show every sample</source>
        <translation>显示全部样本</translation>
    </message>
    <message>
        <source>Your samples</source>
        <translation>你的样本</translation>
    </message>
    <message>
        <source>Select samples to relabel or delete them (Shift or Ctrl for several)</source>
        <translation>选中样本后可以改标签或删除（按住 Shift 或 Ctrl 多选）</translation>
    </message>
    <message>
        <source>No samples yet. In the Draw tab, draw a digit and press its key (or click its button under the pad) to teach it.</source>
        <translation>还没有样本。在“绘图”页写一个数字，然后按对应的数字键（或点击画板下方的按钮）来教它。</translation>
    </message>
    <message>
        <source>&amp;Relabel as</source>
        <translation>改标签为(&amp;R)</translation>
    </message>
    <message>
        <source>Say which digit the selected samples really are</source>
        <translation>指定选中的样本实际是哪个数字</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected samples (Delete)</source>
        <translation>删除选中的样本（Delete）</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Bring the last deleted samples back (Ctrl+Z)</source>
        <translation>恢复最近删除的样本（Ctrl+Z）</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save all your samples in one file</source>
        <translation>把你的全部样本保存到一个文件</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Add the samples of a file exported from DigitPad</source>
        <translation>添加从 DigitPad 导出的文件中的样本</translation>
    </message>
    <message>
        <source>C&amp;lear all…</source>
        <translation>全部清除(&amp;L)…</translation>
    </message>
    <message>
        <source>Delete every sample, after asking</source>
        <translation>确认后删除所有样本</translation>
    </message>
    <message>
        <source> (and {count} more)</source>
        <translation>（另有 {count} 个）</translation>
    </message>
    <message>
        <source>Not shown: {problem}</source>
        <translation>未显示：{problem}</translation>
    </message>
    <message>
        <source>All ({count})</source>
        <translation>全部（{count}）</translation>
    </message>
    <message>
        <source>A {digit}, drawn {when}</source>
        <translation>数字 {digit}，写于 {when}</translation>
    </message>
    <message>
        <source>Relabelled {samples} as {digit}.</source>
        <translation>已把 {samples}改标为 {digit}。</translation>
    </message>
    <message>
        <source>Deleted {samples}. Undo (Ctrl+Z) brings it back.</source>
        <translation>已删除 {samples}。撤销（Ctrl+Z）可以恢复。</translation>
    </message>
    <message>
        <source>Deleted {samples}. Undo (Ctrl+Z) brings them back.</source>
        <translation>已删除 {samples}。撤销（Ctrl+Z）可以恢复。</translation>
    </message>
    <message>
        <source>Restored {samples}.</source>
        <translation>已恢复 {samples}。</translation>
    </message>
    <message>
        <source> {samples} could not be: cleared for good in another DigitPad window.</source>
        <translation> 有 {samples}无法恢复：已在另一个 DigitPad 窗口中被永久清除。</translation>
    </message>
    <message>
        <source>Export my samples</source>
        <translation>导出我的样本</translation>
    </message>
    <message>
        <source>DigitPad samples (*.json)</source>
        <translation>DigitPad 样本 (*.json)</translation>
    </message>
    <message>
        <source>Exported {samples} to {path}.</source>
        <translation>已把 {samples}导出到 {path}。</translation>
    </message>
    <message>
        <source>Exporting {samples} …</source>
        <translation>正在导出 {samples}…</translation>
    </message>
    <message>
        <source>Import samples</source>
        <translation>导入样本</translation>
    </message>
    <message>
        <source>DigitPad samples (*.json);;All files (*)</source>
        <translation>DigitPad 样本 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Nothing imported: {problem}</source>
        <translation>没有导入任何样本：{problem}</translation>
    </message>
    <message>
        <source> ({samples} already here, not added twice)</source>
        <translation>（{samples}已经存在，未重复添加）</translation>
    </message>
    <message>
        <source>Imported {samples} from {path}{note}.</source>
        <translation>已从 {path} 导入 {samples}{note}。</translation>
    </message>
    <message>
        <source>Reading {path} …</source>
        <translation>正在读取 {path}…</translation>
    </message>
    <message>
        <source>Nothing imported: </source>
        <translation>没有导入任何样本：</translation>
    </message>
    <message>
        <source>Wait a moment: the samples file is still being read or written.</source>
        <translation>请稍候：样本文件还在读取或写入。</translation>
    </message>
    <message>
        <source>Clear all samples?</source>
        <translation>清除所有样本？</translation>
    </message>
    <message>
        <source>Delete all {samples} for good? This cannot be undone (export them first to keep a copy).</source>
        <translation>永久删除全部 {samples}？此操作无法撤销（如需保留，请先导出）。</translation>
    </message>
    <message>
        <source>Cleared {samples}.</source>
        <translation>已清除 {samples}。</translation>
    </message>
    <message>
        <source>1 sample</source>
        <translation>1 个样本</translation>
    </message>
    <message>
        <source>{count} samples</source>
        <translation>{count} 个样本</translation>
    </message>
</context>
<context>
    <name>NetworkInputView</name>
    <message>
        <source>What the network sees: your drawing cropped, scaled to fit 20×20, and centred by its centre of mass in 28×28 pixels, like MNIST</source>
        <translation>网络看到的图像：你写的数字经过裁剪、缩放到 20×20，再按重心居中放进 28×28 像素，和 MNIST 一样</translation>
    </message>
    <message>
        <source>The 28 by 28 image the network reads</source>
        <translation>网络读取的 28×28 图像</translation>
    </message>
</context>
<context>
    <name>NumberPanel</name>
    <message>
        <source>Number:</source>
        <translation>数：</translation>
    </message>
    <message>
        <source>Number read</source>
        <translation>识别出的数</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Put the number on the clipboard (Ctrl+Shift+C)</source>
        <translation>把这个数复制到剪贴板 (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>{number}: {verdict}</source>
        <translation>{number}：{verdict}</translation>
    </message>
    <message>
        <source>Write a number on the pad, one digit after another.</source>
        <translation>在画板上写一个数，一位接一位地写。</translation>
    </message>
    <message>
        <source>No reading: {problem}</source>
        <translation>无法识别：{problem}</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>1 digit, sure</source>
        <translation>1 位数字，有把握</translation>
    </message>
    <message>
        <source>{count} digits, all sure</source>
        <translation>{count} 位数字，都有把握</translation>
    </message>
    <message>
        <source>Not sure: {reason}.</source>
        <translation>没有把握：{reason}。</translation>
    </message>
    <message>
        <source>a piece does not look like a digit</source>
        <translation>有一部分看起来不像数字</translation>
    </message>
    <message>
        <source>some digits are hard to read</source>
        <translation>有些数字难以辨认</translation>
    </message>
    <message>
        <source>the digits could be split another way</source>
        <translation>这些数字也可能有别的分法</translation>
    </message>
    <message>
        <source>nothing written yet</source>
        <translation>还没有写字</translation>
    </message>
</context>
<context>
    <name>PredictionPanel</name>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>What the network sees</source>
        <translation>网络看到的图像</translation>
    </message>
    <message>
        <source>All ten digits</source>
        <translation>十个数字的概率</translation>
    </message>
    <message>
        <source>Predicted digit</source>
        <translation>预测的数字</translation>
    </message>
    <message>
        <source>Draw a digit from 0 to 9 on the pad.</source>
        <translation>请在画板上写一个 0 到 9 的数字。</translation>
    </message>
    <message>
        <source>Loading the model…
the reading appears in a moment.</source>
        <translation>正在加载模型…
识别结果马上出现。</translation>
    </message>
    <message>
        <source>No reading: {problem}</source>
        <translation>无法识别：{problem}</translation>
    </message>
    <message>
        <source>Not a digit ({confidence} sure).
Draw one digit from 0 to 9.</source>
        <translation>不是数字（把握 {confidence}）。
请画一个 0 到 9 的数字。</translation>
    </message>
    <message>
        <source>{confidence} sure</source>
        <translation>把握 {confidence}</translation>
    </message>
    <message>
        <source>Not sure: {reason}.
Maybe {candidates}.</source>
        <translation>不确定：{reason}。
可能是 {candidates}。</translation>
    </message>
    <message>
        <source>{digit}, {verdict}</source>
        <translation>{digit}，{verdict}</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <source>Probability of each digit</source>
        <translation>每个数字的概率</translation>
    </message>
</context>
<context>
    <name>ReliabilityView</name>
    <message>
        <source>how sure</source>
        <translation>把握</translation>
    </message>
    <message>
        <source>Confidence: not calibrated</source>
        <translation>置信度：未校准</translation>
    </message>
    <message>
        <source>Confidence vs accuracy: off by {ece} on average</source>
        <translation>置信度与正确率：平均相差 {ece}</translation>
    </message>
    <message>
        <source>Measured on: {data}.
The bigger a dot, the more readings it stands on.</source>
        <translation>测量数据：{data}。
点越大，它所依据的读数越多。</translation>
    </message>
</context>
<context>
    <name>RunList</name>
    <message>
        <source>Tick a run to draw its curves behind the current one; select a stopped run to resume it</source>
        <translation>勾选某次训练，可把它的曲线画在当前曲线后面；选中已停止的训练可以继续它</translation>
    </message>
    <message>
        <source>Earlier runs</source>
        <translation>以往的训练</translation>
    </message>
    <message>
        <source>Skipped: {problem}</source>
        <translation>已跳过：{problem}</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>fine-tune of {model}</source>
        <translation>微调自{model}</translation>
    </message>
    <message>
        <source>no test yet</source>
        <translation>尚未测试</translation>
    </message>
    <message>
        <source>training in another window</source>
        <translation>正在另一个窗口中训练</translation>
    </message>
    <message>
        <source>{done}/{planned} epochs</source>
        <translation>{done}/{planned} 轮</translation>
    </message>
    <message>
        <source>Run {run}</source>
        <translation>第 {run} 次训练</translation>
    </message>
    <message>
        <source>Data: {data}</source>
        <translation>数据：{data}</translation>
    </message>
    <message>
        <source>{optimizer} lr {lr}, batch {batch}, schedule {schedule}, augment {augment}</source>
        <translation>{optimizer}，学习率 {lr}，批大小 {batch}，调度 {schedule}，数据增强 {augment}</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Sizes: {sizes}</source>
        <translation>尺寸：{sizes}</translation>
    </message>
</context>
<context>
    <name>SaveDrawing</name>
    <message>
        <source>Save drawing as &amp;PNG…</source>
        <translation>将画作另存为 PNG(&amp;P)…</translation>
    </message>
    <message>
        <source>Save the drawing as you drew it, dark ink on white</source>
        <translation>按原样保存画作：白底黑字</translation>
    </message>
    <message>
        <source>Save network &amp;input (28×28) as PNG…</source>
        <translation>将网络输入（28×28）另存为 PNG(&amp;I)…</translation>
    </message>
    <message>
        <source>In number mode each digit is read from an image of its own; leave number mode to save one</source>
        <translation>多位数模式下每个数字都从各自的图像读取；退出多位数模式后才能保存一张</translation>
    </message>
    <message>
        <source>Save the 28×28 image the network read, white ink on black like MNIST</source>
        <translation>保存网络读取的 28×28 图像：像 MNIST 一样黑底白字</translation>
    </message>
    <message>
        <source>Save drawing as PNG</source>
        <translation>将画作另存为 PNG</translation>
    </message>
    <message>
        <source>Save network input as PNG</source>
        <translation>将网络输入另存为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>{menu} menu</source>
        <translation>{menu}菜单</translation>
    </message>
    <message>
        <source>Draw tab</source>
        <translation>绘图标签页</translation>
    </message>
    <message>
        <source>Teach: yes, it is the digit shown</source>
        <translation>教它：对，就是显示的这个数字</translation>
    </message>
    <message>
        <source>Teach: it is this digit</source>
        <translation>教它：是这个数字</translation>
    </message>
    <message>
        <source>Copy the number read (number mode)</source>
        <translation>复制认出的数（多位数模式）</translation>
    </message>
    <message>
        <source>Trainer tab</source>
        <translation>训练标签页</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Pause, or go on</source>
        <translation>暂停或继续</translation>
    </message>
    <message>
        <source>Stop (the epochs finished are kept)</source>
        <translation>停止（已完成的轮次会保留）</translation>
    </message>
    <message>
        <source>Inside tab</source>
        <translation>网络内部标签页</translation>
    </message>
    <message>
        <source>Arrow keys, Home, End</source>
        <translation>方向键、Home、End</translation>
    </message>
    <message>
        <source>Choose the map shown enlarged</source>
        <translation>选择放大显示的特征图</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>任何地方</translation>
    </message>
    <message>
        <source>Tab, Shift+Tab</source>
        <translation>Tab、Shift+Tab</translation>
    </message>
    <message>
        <source>Go to the next or the previous control</source>
        <translation>转到下一个或上一个控件</translation>
    </message>
    <message>
        <source>Alt + underlined letter</source>
        <translation>Alt + 带下划线的字母</translation>
    </message>
    <message>
        <source>Go to that control or menu</source>
        <translation>转到那个控件或菜单</translation>
    </message>
</context>
<context>
    <name>TeachBar</name>
    <message>
        <source>&lt;b&gt;Teach:&lt;/b&gt;</source>
        <translation>&lt;b&gt;教它：&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Show DigitPad your handwriting; then fine-tune on it in the Trainer tab</source>
        <translation>让 DigitPad 认识你的笔迹；之后可在“训练”页用这些样本微调</translation>
    </message>
    <message>
        <source> or it&apos;s a </source>
        <translation> 或者它是 </translation>
    </message>
    <message>
        <source>taught:</source>
        <translation>已教：</translation>
    </message>
    <message>
        <source>No, it&apos;s a {digit}: store this drawing as a {digit} (key {digit})</source>
        <translation>不对，它是 {digit}：把这个数字存为 {digit}（按键 {digit}）</translation>
    </message>
    <message>
        <source>Teach as {digit}</source>
        <translation>教为 {digit}</translation>
    </message>
    <message>
        <source>My samples…</source>
        <translation>我的样本…</translation>
    </message>
    <message>
        <source>See, correct, delete, export or import your samples</source>
        <translation>查看、更正、删除、导出或导入你的样本</translation>
    </message>
    <message>
        <source>1 sample of {digit} taught</source>
        <translation>已教 1 个 {digit} 的样本</translation>
    </message>
    <message>
        <source>{count} samples of {digit} taught</source>
        <translation>已教 {count} 个 {digit} 的样本</translation>
    </message>
    <message>
        <source>Draw a digit first, then say which one it is.</source>
        <translation>请先画一个数字，再告诉它是几。</translation>
    </message>
    <message>
        <source>Not stored.</source>
        <translation>未保存。</translation>
    </message>
    <message>
        <source>Stored as a {digit} ({count} so far). Draw the next one.</source>
        <translation>已存为 {digit}（目前共 {count} 个）。请画下一个。</translation>
    </message>
    <message>
        <source>Teach a drawing that is not a digit?</source>
        <translation>要教一幅不是数字的图吗？</translation>
    </message>
    <message>
        <source>DigitPad does not read this drawing as a digit. Store it as a {digit} anyway? Samples that are not digits teach the model to read scribbles as digits.</source>
        <translation>DigitPad 认为这幅图不是数字。仍要把它存为 {digit} 吗？不是数字的样本会让模型把涂鸦认成数字。</translation>
    </message>
    <message>
        <source>✓ Yes, it&apos;s a {digit}</source>
        <translation>✓ 对，是 {digit}</translation>
    </message>
    <message>
        <source>Store this drawing as the digit shown (Enter)</source>
        <translation>把这个数字按显示的结果保存（Enter）</translation>
    </message>
</context>
<context>
    <name>TrainerPage</name>
    <message>
        <source>The trainer opens as soon as the model has loaded…</source>
        <translation>模型加载完成后即可打开训练页…</translation>
    </message>
</context>
<context>
    <name>TrainerTab</name>
    <message>
        <source>Start a run with these settings</source>
        <translation>用这些设置开始训练</translation>
    </message>
    <message>
        <source>Continue a stopped run from its last finished epoch</source>
        <translation>从最后完成的一轮继续已停止的训练</translation>
    </message>
    <message>
        <source>A fine-tune on your handwriting is under way; one training at a time (stop it, or wait for it to end).</source>
        <translation>正在用你的笔迹微调；一次只能进行一项训练（请停止它，或等它结束）。</translation>
    </message>
    <message>
        <source>A training run is under way; one training at a time (stop it, or wait for it to end).</source>
        <translation>正在训练；一次只能进行一项训练（请停止它，或等它结束）。</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current batch; finished epochs are kept ({key})</source>
        <translation>在当前批次后停止；已完成的轮次会保留（{key}）</translation>
    </message>
    <message>
        <source>The log of the run: one line per epoch, as pytorch/examples prints it.</source>
        <translation>训练日志：每轮一行，格式与 pytorch/examples 的输出相同。</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>One line per epoch: loss and accuracy</source>
        <translation>每轮一行：损失和准确率</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>训练记录</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Resume selected run</source>
        <translation>继续选中的训练</translation>
    </message>
    <message>
        <source>&amp;Use this model</source>
        <translation>使用这个模型(&amp;U)</translation>
    </message>
    <message>
        <source>Read drawings with the model of this run from now on</source>
        <translation>从现在起用这次训练得到的模型识别</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the model of this run as a file</source>
        <translation>把这次训练得到的模型保存为文件</translation>
    </message>
    <message>
        <source>Revert to the &amp;built-in model</source>
        <translation>恢复内置模型(&amp;B)</translation>
    </message>
    <message>
        <source>Read drawings with the model DigitPad came with</source>
        <translation>用 DigitPad 自带的模型识别</translation>
    </message>
    <message>
        <source>Training progress</source>
        <translation>训练进度</translation>
    </message>
    <message>
        <source>(the model is still loading)</source>
        <translation>（模型还在加载）</translation>
    </message>
    <message>
        <source>Now drawing with the model of run {run} ({accuracy} on the test set).</source>
        <translation>现在用第 {run} 次训练的模型识别（测试集准确率 {accuracy}）。</translation>
    </message>
    <message>
        <source>Now drawing with the built-in model again.</source>
        <translation>已改回用内置模型识别。</translation>
    </message>
    <message>
        <source>Save the model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>DigitPad models (*.safetensors)</source>
        <translation>DigitPad 模型 (*.safetensors)</translation>
    </message>
    <message>
        <source>Saved the model to {path}.</source>
        <translation>模型已保存到 {path}。</translation>
    </message>
    <message>
        <source>the data of run {run} ({data}) is gone; choose MNIST first</source>
        <translation>第 {run} 次训练的数据（{data}）已不在；请先选择 MNIST</translation>
    </message>
    <message>
        <source>run {run} cannot be resumed: {problem}</source>
        <translation>第 {run} 次训练无法继续：{problem}</translation>
    </message>
    <message>
        <source>Loading the data…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Go on training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Pause after the current batch</source>
        <translation>在当前批次后暂停</translation>
    </message>
    <message>
        <source>Paused — </source>
        <translation>已暂停 —— </translation>
    </message>
    <message>
        <source>Stop training?</source>
        <translation>停止训练？</translation>
    </message>
    <message>
        <source>A training run is under way. Stop it and close DigitPad?

The last finished epoch is saved; you can resume the run later.</source>
        <translation>正在训练。要停止训练并关闭 DigitPad 吗？

最后完成的一轮已经保存，之后可以继续这次训练。</translation>
    </message>
    <message>
        <source>Epoch {epoch}, batch {batch}/{batches} · loss {loss} · {speed} images/s · {left} left</source>
        <translation>第 {epoch} 轮，批次 {batch}/{batches} · 损失 {loss} · {speed} 张图像/秒 · 剩余 {left}</translation>
    </message>
    <message>
        <source>Stopped: run {run}, {epochs} epoch(s).</source>
        <translation>已停止：第 {run} 次训练，完成 {epochs} 轮。</translation>
    </message>
    <message>
        <source>Finished: run {run}, {epochs} epoch(s).</source>
        <translation>已完成：第 {run} 次训练，共 {epochs} 轮。</translation>
    </message>
    <message>
        <source>Stopped before the first epoch ended; there is no new model.</source>
        <translation>第一轮结束前就停止了，没有得到新模型。</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>still loading</source>
        <translation>仍在加载</translation>
    </message>
    <message>
        <source>&lt;b&gt;In use:&lt;/b&gt; {model}</source>
        <translation>&lt;b&gt;当前使用：&lt;/b&gt;{model}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Run {run}:&lt;/b&gt; {accuracy} on the test set</source>
        <translation>&lt;b&gt;第 {run} 次训练：&lt;/b&gt;测试集准确率 {accuracy}</translation>
    </message>
</context>
<context>
    <name>TrainingPlot</name>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>per batch</source>
        <translation>每批</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Loss per batch and per epoch, and accuracy per epoch, as the run goes</source>
        <translation>训练过程中每批和每轮的损失，以及每轮的准确率</translation>
    </message>
    <message>
        <source>{run} loss</source>
        <translation>{run} 损失</translation>
    </message>
    <message>
        <source>{run} test</source>
        <translation>{run} 测试</translation>
    </message>
</context>
<context>
    <name>ViewMenus</name>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Show the {tab} tab</source>
        <translation>显示“{tab}”页</translation>
    </message>
    <message>
        <source>&amp;High contrast</source>
        <translation>高对比度(&amp;H)</translation>
    </message>
    <message>
        <source>Black text on white; remembered</source>
        <translation>白底黑字；会被记住</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
</context>
</TS>
